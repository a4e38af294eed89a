"""Serves moto's AWS emulator with waitress instead of moto_server's werkzeug server.

werkzeug's development server closes every connection and logs every request, and moto
re-lists its ~200 backend packages on the disk for every request: together the local
platform's throughput limit (docs and figures: bench/README.md). waitress keeps connections
alive, serves from a thread pool and logs no requests; the backend list is read once.
Same app, same API as `moto_server -H <host> -p <port>`.
"""

import argparse
import os

import moto.backends as backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress import serve

# moto lists its backend packages with os.listdir + isdir on every request; they never change
_MODULES = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: iter(_MODULES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=32, help="more than the SQS pollers")
    args = parser.parse_args()
    # moto writes its own address into what it returns (SQS queue URLs): tell it the port
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    # Every SDK client keeps its own pool of keep-alive sockets (up to 50 each): waitress's
    # default limit of 100 connections would stop accepting under load and stall requests.
    serve(
        app,
        host=args.host,
        port=args.port,
        threads=args.threads,
        connection_limit=2048,
        ident="moto",
        _quiet=True,
    )


if __name__ == "__main__":
    main()
