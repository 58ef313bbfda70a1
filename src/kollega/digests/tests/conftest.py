from kollega.mail.tests.conftest import smtp_server  # noqa: F401  (a real SMTP server)
