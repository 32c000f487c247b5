"""What both of the app's web servers send with every response, and the address they print.

`assembly room` (residents' phones) and `assembly serve` (committee members' browsers) are
aiohttp servers on a shared network. Both stamp every response, redirects and aiohttp's own
refusals included, with the same security headers and a server name without versions, so
nobody probing learns what software to attack; only the Content-Security-Policy differs,
because the room's pages need nothing but their stylesheet while textual-serve's terminal runs
scripts and a websocket, and the room's Referrer-Policy (see `assembly.agenda.room.server`). Both print the address other devices on the network can open.
"""

from __future__ import annotations

import socket

from aiohttp import web, web_response

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",  # not words
    # an address may hold a token: never pass it on
    "Referrer-Policy": "no-referrer",  # not words
    "X-Frame-Options": "DENY",  # not words
    "Cache-Control": "no-store",  # not words
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",  # not words
}


def security_headers(
    content_security_policy: str, referrer_policy: str | None = None
) -> dict[str, str]:
    """The headers every response carries, with this server's Content-Security-Policy (and
    its Referrer-Policy, where it needs another)."""
    headers = {"Content-Security-Policy": content_security_policy, **SECURITY_HEADERS}  # not words
    if referrer_policy is not None:
        headers["Referrer-Policy"] = referrer_policy
    return headers


def stamp_responses(
    app: web.Application,
    *,
    server: str,
    content_security_policy: str,
    referrer_policy: str | None = None,
) -> None:
    """Every response `app` sends, whichever handler (or aiohttp itself, for a 404 or a
    redirect) made it: the security headers (a handler's own value, such as a stylesheet's
    Cache-Control, is kept) and `Server: <server>`. A websocket's handshake gets the name only."""
    headers = security_headers(content_security_policy, referrer_policy)

    async def stamp(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Server"] = server
        if not isinstance(response, web.WebSocketResponse):
            for name, value in headers.items():
                response.headers.setdefault(name, value)

    app.on_response_prepare.append(stamp)


def name_the_server(server: str) -> None:
    """The name aiohttp gives in answers to requests it cannot parse, which it sends before any
    application sees them (by default "Python/3.x aiohttp/3.x"). It is one setting for the
    whole process: each server runs in its own process or is the only one in the app."""
    web_response.SERVER_SOFTWARE = server


# Where a UDP socket would send from, for each kind of network: the default route first, then
# the private ranges, for a room network with no way out. connect() on UDP sends nothing.
_PROBES = ("192.0.2.1", "10.255.255.255", "172.31.255.255", "192.168.255.255")


def lan_address() -> str:
    """This computer's address on the local network, which phones and other computers can
    open (127.0.0.1 when it has none)."""
    for target in _PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                address = probe.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith("127.") and address != "0.0.0.0":
            return address
    try:
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"
    return "127.0.0.1" if address.startswith("127.") else address


def reachable_address(host: str) -> str:
    """The address to print for a server bound to `host`: for 0.0.0.0 (every interface), this
    computer's network address (0.0.0.0 itself no other computer can open)."""
    return lan_address() if host in WILDCARD else host
