"""A real OpenLDAP server (Debian's slapd) for the directory sync tests: its own config
and database in a temporary folder, on a free loopback port, stopped after the test."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

SLAPD = "/usr/sbin/slapd"
SUFFIX = "dc=example,dc=org"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "directory-secret"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root}"
rootpw {password}
directory {folder}/data
sizelimit unlimited
"""

BASE = f"""\
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,{SUFFIX}
objectClass: organizationalUnit
ou: people
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Directory:
    """The running server: its URL, and ldap3 writes for the test to change it."""

    def __init__(self, url: str):
        self.url = url

    def connection(self):
        import ldap3

        return ldap3.Connection(
            ldap3.Server(self.url), ROOT_DN, ROOT_PASSWORD, auto_bind=True, raise_exceptions=True
        )

    def add_person(self, uid: str, name: str, **attributes):
        dn = f"uid={uid},ou=people,{SUFFIX}"
        with self.connection() as c:
            c.add(dn, ["inetOrgPerson"], {"cn": name, "sn": name.split()[-1], **attributes})
        return dn

    def modify(self, uid: str, **changes):
        import ldap3

        replace = {
            name: [(ldap3.MODIFY_REPLACE, value if isinstance(value, list) else [value])]
            for name, value in changes.items()
        }
        with self.connection() as c:
            c.modify(f"uid={uid},ou=people,{SUFFIX}", replace)

    def delete(self, uid: str):
        with self.connection() as c:
            c.delete(f"uid={uid},ou=people,{SUFFIX}")


@pytest.fixture
def slapd(tmp_path: Path):
    """A slapd on the loopback with an empty `ou=people`; yields a Directory."""
    if not Path(SLAPD).exists() or not shutil.which("slapadd"):
        pytest.fail("Debian's slapd and ldap-utils are needed: make system-packages")
    folder = tmp_path / "slapd"
    (folder / "data").mkdir(parents=True)
    config = folder / "slapd.conf"
    config.write_text(
        CONFIG.format(folder=folder, suffix=SUFFIX, root=ROOT_DN, password=ROOT_PASSWORD)
    )
    (folder / "base.ldif").write_text(BASE)
    subprocess.run(
        ["slapadd", "-f", str(config), "-l", str(folder / "base.ldif")],
        check=True,
        capture_output=True,
    )
    port = free_port()
    url = f"ldap://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [SLAPD, "-f", str(config), "-h", url, "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            if server.poll() is not None:
                pytest.fail(f"slapd did not start: {server.stderr.read().decode()[-2000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield Directory(f"ldap://127.0.0.1:{port}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
