"""A web server process that has run out of file descriptors, for the accept-error test.

python -m tests.bot.web_server_worker: serves the web app on 127.0.0.1 (a port of its own), uses up every file
descriptor it may open, prints the port, and serves until SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import sys

from bot.config import WebSettings
from bot.logs import configure_logging
from bot.web import build_web_app
from bot.web_server import build_server, limit_accept_error_logs, listen

OPEN_FILES = 64


async def main() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    configure_logging(logging.INFO)
    settings = WebSettings(port=0)
    sock = listen(settings)
    server = build_server(build_web_app([]), settings)
    limit_accept_error_logs(asyncio.get_running_loop())
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if serving.done():
            serving.result()  # start-up failed: raise its error
        await asyncio.sleep(0.01)
    spare = []
    try:
        while True:
            spare.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        pass  # EMFILE: not one descriptor left for an accepted connection
    sys.stdout.write(f"{sock.getsockname()[1]}\n")
    sys.stdout.flush()
    await serving


if __name__ == "__main__":
    asyncio.run(main())
