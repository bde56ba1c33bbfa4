"""TLS: the certificate authorities read when a handshake needs them, not all of them at start-up.

aiohttp builds its default TLS context when it is imported, and OpenSSL then reads the system's whole CA bundle
into memory: 144 certificates here, 2.1 MiB of a bot's RSS (docs/performance.md, round 13). A bot talks to one
homeserver, whose chain needs one or two of them. Where the system also keeps its authorities as a hashed
directory (`update-ca-certificates` on Debian and Ubuntu, the Docker image), OpenSSL looks each one up there
when a handshake asks for it. So aiohttp is imported with the bundle left out of OpenSSL's defaults, only when
that directory holds every certificate of the bundle: the same authorities are trusted and every certificate
is still verified; only when they are read changes.
"""
from __future__ import annotations

import contextlib
import os
import re
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path

_HASHED = re.compile(r"[0-9a-f]{8}\.\d+")  # OpenSSL's name for a certificate in a hashed directory
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


def _certificates(data: bytes) -> set[bytes]:
    return {b"".join(body.split()) for body in _PEM.findall(data)}


def directory_covers_bundle(cafile: str | None, capath: str | None) -> bool:
    """Whether every certificate of the bundle `cafile` is in the hashed directory `capath`: OpenSSL reads
    that directory in either case, so reading it alone then trusts exactly the same authorities."""
    if not cafile or not capath:
        return False
    try:
        bundle = _certificates(Path(cafile).read_bytes())
        directory: set[bytes] = set()
        for entry in os.scandir(capath):
            if _HASHED.fullmatch(entry.name):
                directory |= _certificates(Path(entry.path).read_bytes())
    except OSError:
        return False
    return bool(bundle) and bundle <= directory


@contextlib.contextmanager
def authorities_on_demand(paths: ssl.DefaultVerifyPaths | None = None) -> Iterator[None]:
    """Within this block, default TLS contexts read the CA certificates from the hashed directory when a
    handshake needs them (see above), if that directory holds every certificate of the bundle in effect
    (the system's, or SSL_CERT_FILE's). The environment is restored afterwards: contexts made later (mail,
    for one) read the bundle as usual."""
    paths = paths or ssl.get_default_verify_paths()
    if sys.platform != "linux" or not directory_covers_bundle(paths.cafile, paths.capath):
        yield
        return
    chosen = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = os.devnull  # OpenSSL reads no bundle; its directory lookup stays
    try:
        yield
    finally:
        if chosen is None:
            del os.environ["SSL_CERT_FILE"]
        else:
            os.environ["SSL_CERT_FILE"] = chosen
