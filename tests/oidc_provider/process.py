"""The test OpenID Connect provider (serve.py), started as its own process on the loopback."""

import http.client
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from oidc_provider.serve import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME

SERVE = Path(__file__).resolve().parent / "serve.py"


@dataclass
class Provider:
    """A running provider: its issuer, its client for Kollega and its one person."""

    port: int
    folder: Path
    process: subprocess.Popen
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    username: str = USERNAME
    password: str = PASSWORD
    subject: str = "1"  # django-oauth-toolkit's subject: the user's primary key

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def misbehave(self, mode: str) -> None:
        """Spoil the ID tokens issued from now on (provider_validator.py): or `normal`."""
        (self.folder / "mode").write_text(mode)


def start_provider(folder: Path, port: int, kollega_url: str, timeout: float = 90.0) -> Provider:
    log = (folder / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(SERVE), str(folder), str(port), kollega_url],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the provider stopped: {(folder / 'provider.log').read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/o/.well-known/openid-configuration")
            if conn.getresponse().status == 200:
                return Provider(port, folder, process)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"the provider did not start on port {port}")


def stop_provider(provider: Provider) -> None:
    if provider.process.poll() is None:
        provider.process.terminate()
        provider.process.wait(timeout=20)
