"""``hlssim app``: serve the live page (Goodhart, live; What-if) on this machine with Solara."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sys

from .common import EXIT_OK, BadInput, Failure, say, subcommand, whole_number

PAGE = "hlssim.app.page"


def check_port(host: str, port: int) -> None:
    """Refuse a port another program holds, with a message saying what to do, before Solara starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise BadInput(f"--port {port}: already in use on {host}; choose another, e.g. --port {port + 1}") \
                    from None
            raise BadInput(f"--host {host}: cannot listen there ({err.strerror}); the default is 127.0.0.1") from None


def solara_command(host: str, port: int) -> list[str]:
    solara = shutil.which("solara", path=os.path.dirname(sys.executable)) or shutil.which("solara")
    base = [solara] if solara else [sys.executable, "-m", "solara"]
    return [*base, "run", PAGE, "--host", host, "--port", str(port), "--production", "--no-open",
            "--log-level", "warning"]


def cmd_app(args) -> int:
    check_port(args.host, args.port)
    command = solara_command(args.host, args.port)
    say(f"serving the hlssim page on http://{args.host}:{args.port}/ (works offline; Ctrl-C stops it)")
    try:
        os.execv(command[0], command)     # become the server, so Ctrl-C and signals reach it directly
    except OSError as err:
        raise Failure(f"cannot start the Solara server ({command[0]}): {err.strerror}") from None
    return EXIT_OK


def register(sub) -> None:
    app = subcommand(
        sub, "app", help="serve the live page for trainers and policy teams (Goodhart, live; What-if)",
        description="Serve a page on this machine: 'Goodhart, live' runs NPM and HLS side by side on the same "
                    "seed with sliders for target pressure, inspection, governance and the complexity dials, "
                    "step/play/reset, the reported and true success rates week by week, and the four Goodhart "
                    "variants; 'What-if' runs a shipped or uploaded scenario against the same with a few dials "
                    "moved, on a few seeds, and shows the paired differences and the figures. Runs on the page "
                    "are small (2,000 citizens) so they stay live. Nothing is fetched from the internet.",
        epilog="examples:\n  hlssim app\n  hlssim app --port 8800")
    app.add_argument("--port", type=whole_number("--port", 1, 65535), default=8765,
                     help="port to serve on (default %(default)s)")
    app.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    app.set_defaults(func=cmd_app)
