"""Heptora: secrets for Python automations, from the local Heptora robot.

Run the automation through the robot, which sets ``HEPTORA_ROBOT_SOCKET`` and a run token scoped
to the names the process declares::

    heptora run "Invoice Processing" -- python3 main.py

then read a secret::

    import heptora

    password = heptora.get_secret("SAP_PASSWORD")
    heptora.declared_names()  # ["SAP_USER", "SAP_PASSWORD"]: names only, never a value

Robot Framework: ``Library  heptora.robot`` (keyword ``Get Secret``) and the masking listener
``heptora.robot.MaskingListener`` that ``heptora run`` adds through ``ROBOT_OPTIONS``. RPA
Framework: ``heptora.rpa.HeptoraSecretManager`` (``RPA_SECRET_MANAGER``) and
``heptora.robocorp_vault.HeptoraSecretManager`` (``RC_VAULT_SECRET_MANAGER``).

Every failure raises a :class:`SecretError` (a subclass per code, see ``ERRORS``) whose message
is the robot's own message, written for the person running the automation; ``.code`` is stable,
``.status`` is the robot's HTTP status (None when it never answered), ``.hint`` what to do.
A message never carries a secret value or the run token.

Standard library only (Python 3.9+): HTTP/1.1 over the robot's Unix socket with one kept-alive
connection, reused by every call.
"""

import http.client
import io
import json
import os
import re
import socket
import sys
import threading
import unicodedata
import urllib.parse
from typing import Any, Dict, FrozenSet, List, Optional, Set, Tuple, Type

__version__ = "0.1.0"

__all__ = [
    "get_secret",
    "declared_names",
    "Client",
    "DEFAULT_TIMEOUT",
    "ERRORS",
    "SecretError",
    "SecretNotDeclared",
    "SecretValueMissing",
    "InvalidRunToken",
    "VaultLocked",
    "RobotNotSignedIn",
    "RobotNotRunning",
    "RobotUnreachable",
    "RobotTimeout",
    "NotInARun",
    "InvalidSecretName",
    "BadResponse",
]

DEFAULT_TIMEOUT = 10.0
"""Seconds each socket operation (connect, send, receive) may take."""

_MAX_RESPONSE_BYTES = 16 * 1024 * 1024  # bounds a runaway answer; values are far smaller
_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
_NAME_MAX_LENGTH = 64
_TOKEN = re.compile(r"[\x21-\x7e]{1,1024}")  # visible ASCII: safe in a header
_PIPE_PREFIX = "\\\\.\\pipe\\"


# --- Errors --------------------------------------------------------------------------------------


class SecretError(Exception):
    """Base of every Heptora SDK error. Compare ``.code`` (or the class), never the message."""

    code = "error"

    def __init__(
        self,
        message: str,
        code: Optional[str] = None,
        status: Optional[int] = None,
        hint: Optional[str] = None,
    ) -> None:
        # The robot's message as it is; what to do about it, when the robot says, is .hint.
        super().__init__(message)
        self.message = message
        self.code = code or type(self).code
        self.status = status
        self.hint = hint

    def __repr__(self) -> str:
        return "%s(code=%r, status=%r, message=%r)" % (
            type(self).__name__,
            self.code,
            self.status,
            self.message,
        )


class SecretNotDeclared(SecretError):
    """404: the process does not declare this name (the message suggests close names)."""

    code = "secret_not_declared"


class SecretValueMissing(SecretError):
    """404: declared, but no value is set on this robot (set it in the Secrets window)."""

    code = "secret_value_missing"


class InvalidRunToken(SecretError):
    """401: the run token is not valid (the run ended, or the token is not this run's)."""

    code = "invalid_run_token"


class VaultLocked(SecretError):
    """423: the robot's vault is locked."""

    code = "vault_locked"


class RobotNotSignedIn(SecretError):
    """401: the robot is not signed in (``heptora login``)."""

    code = "robot_not_signed_in"


class RobotNotRunning(SecretError):
    """Nothing listens on the robot's socket: start it with ``heptora start``."""

    code = "robot_not_running"


class RobotUnreachable(SecretError):
    """The socket exists but talking to it failed otherwise (permissions, dropped connection)."""

    code = "robot_unreachable"


class RobotTimeout(SecretError):
    """The robot did not answer in time."""

    code = "robot_timeout"


class NotInARun(SecretError):
    """HEPTORA_ROBOT_SOCKET or HEPTORA_RUN_TOKEN is not set: not started by ``heptora run``."""

    code = "not_in_a_run"


class InvalidSecretName(SecretError, ValueError):
    """The name breaks the rule ``^[A-Z][A-Z0-9_]{0,63}$``; nothing was sent."""

    code = "invalid_secret_name"


class BadResponse(SecretError):
    """The robot answered something that is not the documented JSON."""

    code = "bad_response"


ERRORS: Dict[str, Type[SecretError]] = {
    cls.code: cls
    for cls in (
        SecretNotDeclared,
        SecretValueMissing,
        InvalidRunToken,
        VaultLocked,
        RobotNotSignedIn,
        RobotNotRunning,
        RobotUnreachable,
        RobotTimeout,
        NotInARun,
        InvalidSecretName,
        BadResponse,
    )
}
"""Error class by code. A code not listed (from a newer robot) raises a plain SecretError."""


# --- Names ---------------------------------------------------------------------------------------


def _suggest_name(text: str) -> Optional[str]:
    """The name a user most likely meant ("sap password" -> "SAP_PASSWORD"), as the robot does."""
    folded = unicodedata.normalize("NFKD", text)
    folded = re.sub("[\u0300-\u036f]", "", folded)
    folded = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", folded)  # camelCase -> camel_Case
    folded = re.sub(r"[^A-Z0-9]+", "_", folded.upper())
    folded = re.sub(r"_+", "_", folded.strip("_"))
    if not folded:
        return None
    led = folded if re.match(r"[A-Z]", folded) else "V_" + folded
    cut = led[:_NAME_MAX_LENGTH].rstrip("_")
    return cut if _NAME.fullmatch(cut) else None


def _check_name(name: object) -> str:
    if isinstance(name, str) and _NAME.fullmatch(name):
        return name
    text = name if isinstance(name, str) else str(name)
    shown = text if len(text) <= 80 else text[:77] + "..."
    suggestion = _suggest_name(text)
    raise InvalidSecretName(
        "'%s' is not a valid secret name. Names start with a capital letter and use only "
        "A-Z, 0-9 and _ (at most 64 characters).%s"
        % (shown, "" if suggestion is None else " Did you mean '%s'?" % suggestion)
    )


# --- Transport -----------------------------------------------------------------------------------


class _PipeReader(io.RawIOBase):
    """Reads from a pipe without closing it when http.client closes a response."""

    def __init__(self, raw: "io.RawIOBase") -> None:
        super().__init__()
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._raw.readinto(buffer) or 0


class _PipeSocket:
    """Just enough of a socket for http.client over a Windows named pipe (a duplex file)."""

    def __init__(self, raw: "io.RawIOBase") -> None:
        self._raw = raw

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = self._raw.write(view) or 0
            view = view[written:]

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_PipeReader(self._raw))

    def settimeout(self, timeout: Optional[float]) -> None:
        pass  # named pipes opened as files block; the robot answers or closes the pipe

    def close(self) -> None:
        self._raw.close()


class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP/1.1 to the robot over its Unix socket (or Windows named pipe); Host: localhost."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._socket_path = socket_path

    def connect(self) -> None:
        if sys.platform == "win32" or self._socket_path.startswith(_PIPE_PREFIX):
            self.sock = _PipeSocket(open(self._socket_path, "r+b", buffering=0))
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self._socket_path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


_DROPPED = (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)


class Client:
    """A client bound to one robot socket and run token.

    :func:`get_secret` builds one from the environment; use this to pass them explicitly (tests,
    a worker that outlives its run's environment). Thread-safe: calls share one kept-alive
    connection, one request at a time.

    Example::

        robot = heptora.Client("/tmp/robot.sock", token)
        user = robot.get_secret("SAP_USER")
        robot.close()
    """

    def __init__(self, socket_path: str, token: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            raise NotInARun(
                "The run token is malformed: run this automation with "
                "`heptora run PROCESS -- ...` so that it gets a valid one."
            )
        self._socket_path = socket_path
        self._token = token
        self._timeout = timeout
        self._lock = threading.Lock()
        self._conn: Optional[_UnixHTTPConnection] = None

    def get_secret(self, name: str) -> str:
        """The value of ``name`` for the running process; raises a :class:`SecretError`."""
        _check_name(name)
        path = "/v1/secrets/" + urllib.parse.quote(name, safe="")
        with self._lock:
            status, body = self._exchange(path)
        value = _secret_from_response(name, status, body, self._token)
        _remember(value)
        return value

    def declared_names(self) -> List[str]:
        """The names the running process declares (names only, never a value), in the order the
        process lists them; raises a :class:`SecretError`."""
        with self._lock:
            status, body = self._exchange("/v1/secrets")
        return _names_from_response(status, body, self._token)

    def close(self) -> None:
        """Closes the kept-alive connection (also done when the process exits)."""
        with self._lock:
            self._drop()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _exchange(self, path: str) -> Tuple[int, bytes]:
        reused = self._conn is not None and self._conn.sock is not None
        try:
            return self._send(path)
        except _DROPPED as error:
            # A kept-alive connection the robot closed while idle fails on first use: the request
            # never reached it, so one retry on a fresh connection is safe.
            self._drop()
            if not reused:
                raise self._transport_error(error) from None
        except SecretError:
            self._drop()
            raise
        except (OSError, http.client.HTTPException) as error:
            self._drop()
            raise self._transport_error(error) from None
        try:
            return self._send(path)
        except SecretError:
            self._drop()
            raise
        except (OSError, http.client.HTTPException) as error:
            self._drop()
            raise self._transport_error(error) from None

    def _send(self, path: str) -> Tuple[int, bytes]:
        if self._conn is None:
            self._conn = _UnixHTTPConnection(self._socket_path, self._timeout)
        self._conn.request(
            "GET",
            path,
            headers={
                "Authorization": "Bearer " + self._token,
                "Accept": "application/json",
                "User-Agent": "heptora-python/" + __version__,
            },
        )
        response = self._conn.getresponse()
        body = response.read(_MAX_RESPONSE_BYTES + 1)
        if len(body) > _MAX_RESPONSE_BYTES:
            raise BadResponse("The robot's answer is too large.", status=response.status)
        return response.status, body

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _transport_error(self, error: BaseException) -> SecretError:
        if isinstance(error, socket.timeout):
            return RobotTimeout(
                "The robot did not answer within %g s. Check it with `heptora status` and try "
                "again." % self._timeout
            )
        if isinstance(error, (FileNotFoundError, ConnectionRefusedError)):
            return RobotNotRunning("The robot is not running. Start it with `heptora start`.")
        if isinstance(error, http.client.HTTPException) and not isinstance(error, _DROPPED):
            return _bad_response("The robot's answer is not valid HTTP.", None)
        reason = getattr(error, "errno", None)
        label = os.strerror(reason) if isinstance(reason, int) else type(error).__name__
        return RobotUnreachable(
            "Could not talk to the robot at %s (%s)." % (self._socket_path, label),
            hint="Check it with `heptora status`; the automation must run as the robot's user.",
        )


def _secret_from_response(name: str, status: int, body: bytes, token: str) -> str:
    """The value from a 200 ``{"name", "value"}``, or the robot's error raised. Never quotes the
    body: a malformed 200 may well contain the value."""
    parsed = _parse_json(body)
    if status == 200:
        value = parsed.get("value") if isinstance(parsed, dict) else None
        if isinstance(parsed, dict) and parsed.get("name") == name and isinstance(value, str):
            return value
        raise _bad_response("The robot's answer for '%s' is not in the expected form." % name, status)
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if (
        isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
    ):
        hint = error.get("hint")
        code = error["code"]
        raise ERRORS.get(code, SecretError)(
            _scrub(error["message"], token),
            code=code,
            status=status,
            hint=_scrub(hint, token) if isinstance(hint, str) else None,
        )
    raise _bad_response("The robot answered HTTP %d without a Heptora error body." % status, status)


def _names_from_response(status: int, body: bytes, token: str) -> List[str]:
    """The names from a 200 ``{"process", "names": [{"name", "secret"}]}``, or the robot's error
    raised."""
    parsed = _parse_json(body)
    if status == 200:
        entries = parsed.get("names") if isinstance(parsed, dict) else None
        if isinstance(entries, list) and all(
            isinstance(entry, dict) and isinstance(entry.get("name"), str) for entry in entries
        ):
            return [entry["name"] for entry in entries]
        raise _bad_response("The robot's list of declared names is not in the expected form.", status)
    _secret_from_response("", status, body, token)  # raises the robot's error
    raise _bad_response("The robot answered HTTP %d without a Heptora error body." % status, status)


def _bad_response(message: str, status: Optional[int]) -> BadResponse:
    return BadResponse(
        message,
        status=status,
        hint="Check that HEPTORA_ROBOT_SOCKET points at a Heptora robot of the same version.",
    )


def _scrub(text: str, token: str) -> str:
    """Defence in depth: the robot never echoes the token, but if it ever did, it stops here."""
    return text.replace(token, "***") if token else text


def _parse_json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        return None


# --- Values this process has read -----------------------------------------------------------------

# The values this process read, kept in memory only (never written, sent or put in the
# environment), so that an in-process log writer, such as the Robot Framework listener in
# heptora.robot, can mask them before its files are written (docs/adr/0076).
_read_values: Set[str] = set()
_read_values_lock = threading.Lock()


def _remember(value: str) -> None:
    if value:
        with _read_values_lock:
            _read_values.add(value)


def _values_read() -> FrozenSet[str]:
    """The values this process has read so far (for heptora.robot's masking listener)."""
    with _read_values_lock:
        return frozenset(_read_values)


# --- The environment `heptora run` sets -----------------------------------------------------------

_current: Optional[Tuple[str, str, Client]] = None
_current_lock = threading.Lock()


def get_secret(name: str) -> str:
    """The value of the secret ``name``, declared by the process this automation runs as.

    Reads HEPTORA_ROBOT_SOCKET and HEPTORA_RUN_TOKEN at each call; the connection is reused
    while they stay the same.

    Example::

        import heptora

        user = heptora.get_secret("SAP_USER")
    """
    _check_name(name)
    return _client_from_environment().get_secret(name)


def declared_names() -> List[str]:
    """The names the process this automation runs as declares: names only, never a value, and
    not whether one is set. Raises a :class:`SecretError` as :func:`get_secret` does.

    Example::

        import heptora

        heptora.declared_names()  # ["SAP_USER", "SAP_PASSWORD"]
    """
    return _client_from_environment().declared_names()


def _client_from_environment() -> Client:
    global _current
    socket_path = os.environ.get("HEPTORA_ROBOT_SOCKET")
    token = os.environ.get("HEPTORA_RUN_TOKEN")
    if not socket_path:
        raise _not_in_a_run("HEPTORA_ROBOT_SOCKET")
    if not token:
        raise _not_in_a_run("HEPTORA_RUN_TOKEN")
    with _current_lock:
        if _current is not None and _current[0] == socket_path and _current[1] == token:
            return _current[2]
        if _current is not None:
            _current[2].close()
        client = Client(socket_path, token)
        _current = (socket_path, token, client)
        return client


def _not_in_a_run(variable: str) -> NotInARun:
    return NotInARun(
        "%s is not set: run this automation with `heptora run PROCESS -- ...` so that it can "
        "reach the robot." % variable
    )
