"""Serves moto's AWS emulator with waitress instead of moto_server's werkzeug server.

werkzeug's development server closes every connection and logs every request, and moto
re-lists its ~200 backend packages on the disk for every request: together the local
platform's throughput limit (docs and figures: bench/README.md). waitress keeps connections
alive, serves from a thread pool and logs no requests; the backend list is read once.
Same app, same API as `moto_server -H <host> -p <port>`.
"""

import argparse
import os
import threading

import moto.backends as backends
from moto.sqs import models as sqs_models
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress import serve

# moto lists its backend packages with os.listdir + isdir on every request; they never change
_MODULES = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: iter(_MODULES)

# moto's backends are not thread-safe: SQS, for one, deletes a message by rebuilding the
# queue's list, so two deletes at once can bring a deleted message back (in flight for the
# visibility timeout, 30 min here) and a send during a delete can be dropped. AWS makes each
# call atomic; so does this lock, one request at a time per emulator process. Python runs one
# thread at a time anyway, so it costs little; the one wait inside a request (a long-polling
# ReceiveMessage) gives the lock up while it waits.
_REQUEST_LOCK = threading.Lock()
_wait_for_messages = sqs_models.Queue.wait_for_messages


def _wait_unlocked(self, timeout):
    _REQUEST_LOCK.release()
    try:
        _wait_for_messages(self, timeout)
    finally:
        _REQUEST_LOCK.acquire()


sqs_models.Queue.wait_for_messages = _wait_unlocked


def _one_request_at_a_time(app):
    def serve_locked(environ, start_response):
        with _REQUEST_LOCK:
            # the body is built under the lock too: moto may build it lazily
            return list(app(environ, start_response))

    return serve_locked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=32, help="more than the SQS pollers")
    args = parser.parse_args()
    # moto writes its own address into what it returns (SQS queue URLs): tell it the port
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = _one_request_at_a_time(DomainDispatcherApplication(create_backend_app))
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
