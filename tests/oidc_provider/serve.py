"""Run the test OpenID Connect provider: `python serve.py DIR PORT KOLLEGA_URL`.

Sets up its database in DIR with one person (`tove` / PASSWORD) and one
client application for the Kollega at KOLLEGA_URL (CLIENT_ID / CLIENT_SECRET,
its callback and post-sign-out addresses), then serves on 127.0.0.1:PORT,
issuer `http://127.0.0.1:PORT/o`.
"""

import os
import sys
from pathlib import Path

USERNAME = "tove"
PASSWORD = "provider-password-1"
CLIENT_ID = "kollega-tests"
CLIENT_SECRET = "kollega-tests-secret"


def _write_keys(folder: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    for name in ("key.pem", "rogue.pem"):
        path = folder / name
        if not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )


def main(folder: str, port: str, kollega_url: str) -> None:
    folder_path = Path(folder)
    folder_path.mkdir(parents=True, exist_ok=True)
    _write_keys(folder_path)
    os.environ["OIDC_PROVIDER_DIR"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "provider_settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(
        username=USERNAME,
        defaults={"email": "tove.lund@example.org", "first_name": "Tove", "last_name": "Lund"},
    )
    user.set_password(PASSWORD)
    user.save()
    Application.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "Kollega",
            "client_secret": CLIENT_SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": f"{kollega_url}/login/oidc/callback/",
            "post_logout_redirect_uris": f"{kollega_url}/login/",
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    print("ready", flush=True)
    run("127.0.0.1", int(port), get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main(*sys.argv[1:4])
