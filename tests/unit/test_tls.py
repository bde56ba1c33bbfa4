"""bot/tls.py: aiohttp's default TLS context reads the CA certificates from the hashed directory when a
handshake needs them, and still verifies every certificate."""
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.tls import directory_covers_bundle

ROOT = Path(__file__).resolve().parents[2]


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, key, issuer: str, issuer_key, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _ca(cn: str):
    key = ec.generate_private_key(ec.SECP256R1())
    return _cert(cn, key, cn, key, ca=True), key


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _hashed_dir(path: Path, *certs: x509.Certificate) -> Path:
    """A directory as `update-ca-certificates` leaves it: each certificate under OpenSSL's hash of its subject."""
    path.mkdir()
    for k, cert in enumerate(certs):
        pem = path / f"ca{k}.pem"
        pem.write_bytes(_pem(cert))
        digest = subprocess.run(["openssl", "x509", "-subject_hash", "-noout", "-in", str(pem)],
                                capture_output=True, text=True, check=True).stdout.strip()
        (path / f"{digest}.0").symlink_to(pem.name)
    return path


def test_the_directory_covers_the_bundle_only_if_it_holds_each_of_its_certificates(tmp_path):
    (a, _), (b, _) = _ca("Authority A"), _ca("Authority B")
    bundle = tmp_path / "bundle.crt"
    bundle.write_bytes(_pem(a) + _pem(b))
    both = _hashed_dir(tmp_path / "both", a, b)
    assert directory_covers_bundle(str(bundle), str(both))
    only_a = _hashed_dir(tmp_path / "only-a", a)
    assert not directory_covers_bundle(str(bundle), str(only_a))
    # The PEM files themselves (not OpenSSL's hashed names) are not what OpenSSL looks up.
    unhashed = tmp_path / "unhashed"
    unhashed.mkdir()
    (unhashed / "a.pem").write_bytes(_pem(a))
    (unhashed / "b.pem").write_bytes(_pem(b))
    assert not directory_covers_bundle(str(bundle), str(unhashed))
    assert not directory_covers_bundle(str(bundle), str(tmp_path / "missing"))
    assert not directory_covers_bundle(None, str(both))
    (tmp_path / "empty.crt").write_bytes(b"")
    assert not directory_covers_bundle(str(tmp_path / "empty.crt"), str(both))


_CLIENT = r"""
import asyncio, json, os, ssl, sys
sys.path.insert(0, sys.argv[1])
from bot.tls import authorities_on_demand

bundle, directory, server_cert, server_key = sys.argv[2:6]
paths = ssl.DefaultVerifyPaths(bundle, directory, "SSL_CERT_FILE", "", "SSL_CERT_DIR", "")
with authorities_on_demand(paths):
    import aiohttp
    from aiohttp import connector
context = connector._SSL_CONTEXT_VERIFIED  # what an https homeserver URL is verified with


async def main():
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(server_cert, server_key)

    async def answer(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    before = context.cert_store_stats()["x509"]
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"https://localhost:{port}/") as resp:
                outcome = f"{resp.status} {await resp.text()}"
    except aiohttp.ClientConnectorCertificateError as exc:
        outcome = "certificate refused"
    print(json.dumps({"before": before, "after": context.cert_store_stats()["x509"], "outcome": outcome,
                      "env": os.environ.get("SSL_CERT_FILE")}))
    server.close()

asyncio.run(main())
"""


def _handshake(tmp_path: Path, trusted, signer, signer_key) -> dict:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert("localhost", key, signer.subject.rfc4514_string().removeprefix("CN="), signer_key, ca=False)
    (tmp_path / "server.pem").write_bytes(_pem(cert))
    (tmp_path / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                            serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
    bundle = tmp_path / "bundle.crt"
    bundle.write_bytes(_pem(trusted))
    directory = _hashed_dir(tmp_path / "certs", trusted)
    env = {**os.environ, "SSL_CERT_FILE": str(bundle), "SSL_CERT_DIR": str(directory)}
    out = subprocess.run([sys.executable, "-c", _CLIENT, str(ROOT), str(bundle), str(directory),
                          str(tmp_path / "server.pem"), str(tmp_path / "server.key")],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_a_homeserver_certificate_is_verified_with_its_authority_read_when_needed(tmp_path):
    ca, ca_key = _ca("Relais Test Authority")
    result = _handshake(tmp_path, ca, ca, ca_key)
    assert result["before"] == 0  # nothing read at import…
    assert result["outcome"] == "200 ok"
    assert result["after"] == 1  # …the homeserver's authority, read for its handshake
    assert result["env"] == str(tmp_path / "bundle.crt")  # the operator's setting is back


def test_a_certificate_from_another_authority_is_still_refused(tmp_path):
    trusted, _ = _ca("Relais Test Authority")
    other, other_key = _ca("Someone Else")
    result = _handshake(tmp_path, trusted, other, other_key)
    assert result["before"] == 0
    assert result["outcome"] == "certificate refused"
