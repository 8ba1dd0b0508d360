"""A stand-in for the robot's local API: HTTP/1.1 on a temporary Unix socket, in a thread,
recording every request and counting connections; each test sets what it answers."""

import json
import os
import shutil
import socket
import socketserver
import tempfile
import threading
from http.server import BaseHTTPRequestHandler
from typing import Callable, Dict, List, Optional


class RobotHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real robot
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        self.served = 0
        self.server.robot._connected(self.connection)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        robot = self.server.robot
        robot.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "host": self.headers.get("Host"),
            }
        )
        self.served += 1
        robot.handler(self)

    def reply(self, status: int, body: bytes, close_after: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        # Closing without a "Connection: close" header, as a robot whose idle timeout expired.
        self.close_connection = close_after

    def reply_json(self, status: int, payload: object, close_after: bool = False) -> None:
        self.reply(status, json.dumps(payload).encode("utf-8"), close_after)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet; and the default one fails on a Unix socket's empty client address


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    robot: "FakeRobot"


def secrets_handler(values: Dict[str, str]) -> Callable[[RobotHandler], None]:
    """Answers like the robot: 200 ``{name, value}`` from ``values``, else secret_not_declared;
    ``/v1/secrets`` lists the names of ``values``."""

    def handle(request: RobotHandler) -> None:
        if request.path == "/v1/secrets":  # the names the process declares
            names = [{"name": name, "secret": True} for name in values]
            request.reply_json(200, {"process": "Invoice Processing", "names": names})
            return
        name = request.path[len("/v1/secrets/") :]
        if name in values:
            request.reply_json(200, {"name": name, "value": values[name]})
        else:
            request.reply_json(
                404,
                {
                    "error": {
                        "code": "secret_not_declared",
                        "message": "The process does not declare '%s'." % name,
                    }
                },
            )

    return handle


class FakeRobot:
    def __init__(self, handler: Optional[Callable[[RobotHandler], None]] = None) -> None:
        self.dir = tempfile.mkdtemp(prefix="heptora-py-")
        self.socket_path = os.path.join(self.dir, "robot.sock")
        self.handler = handler or secrets_handler({})
        self.requests: List[dict] = []
        self.connections = 0
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        self._server = _Server(self.socket_path, RobotHandler)
        self._server.robot = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def _connected(self, connection: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            self._sockets.append(connection)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for connection in self._sockets:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._thread.join(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)
