import os
import socket
import threading
import unittest
from typing import Callable
from unittest import mock

import heptora

from .fake_robot import FakeRobot, RobotHandler, secrets_handler

TOKEN = "run_py_0123456789abcdef0123456789abcdef0123456789abcdef"


class RobotTestCase(unittest.TestCase):
    """One fake robot per class; each test sets its handler."""

    robot: FakeRobot

    @classmethod
    def setUpClass(cls) -> None:
        cls.robot = FakeRobot()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.robot.close()

    def setUp(self) -> None:
        self.robot.handler = secrets_handler({"SAP_USER": "ana", "SAP_PASSWORD": "pä$$ wörd"})
        self.client = heptora.Client(self.robot.socket_path, TOKEN)
        self.addCleanup(self.client.close)

    def raised(self, call: Callable[[], object]) -> heptora.SecretError:
        """The SecretError ``call`` raises, checked to carry no token."""
        with self.assertRaises(heptora.SecretError) as caught:
            call()
        error = caught.exception
        self.assertNotIn(TOKEN, str(error))
        self.assertNotIn(TOKEN, repr(error))
        self.assertNotIn(TOKEN, str(error.hint))
        return error


class ReadsSecrets(RobotTestCase):
    def test_sends_get_with_the_run_token_as_bearer_and_returns_the_value(self) -> None:
        sent = len(self.robot.requests)
        self.assertEqual(self.client.get_secret("SAP_USER"), "ana")
        self.assertEqual(self.client.get_secret("SAP_PASSWORD"), "pä$$ wörd")
        self.assertEqual(
            self.robot.requests[sent:],
            [
                {
                    "method": "GET",
                    "path": "/v1/secrets/SAP_USER",
                    "authorization": "Bearer " + TOKEN,
                    "host": "localhost",
                },
                {
                    "method": "GET",
                    "path": "/v1/secrets/SAP_PASSWORD",
                    "authorization": "Bearer " + TOKEN,
                    "host": "localhost",
                },
            ],
        )

    def test_keeps_one_connection_alive_across_several_calls(self) -> None:
        before = self.robot.connections
        for _ in range(5):
            self.assertEqual(self.client.get_secret("SAP_USER"), "ana")
        self.assertEqual(self.robot.connections - before, 1)

    def test_reconnects_once_when_the_robot_closed_the_idle_connection(self) -> None:
        def close_after_each(request: RobotHandler) -> None:
            request.reply_json(200, {"name": "SAP_USER", "value": "ana"}, close_after=True)

        self.robot.handler = close_after_each
        before = self.robot.connections
        for _ in range(3):
            self.assertEqual(self.client.get_secret("SAP_USER"), "ana")
        self.assertEqual(self.robot.connections - before, 3)

    def test_is_safe_to_share_between_threads(self) -> None:
        results = []
        errors = []

        def read() -> None:
            try:
                results.append(self.client.get_secret("SAP_USER"))
            except Exception as error:  # noqa: BLE001 (collected and asserted below)
                errors.append(error)

        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        self.assertEqual(errors, [])
        self.assertEqual(results, ["ana"] * 8)

    def test_works_over_a_duplex_file_as_on_a_windows_named_pipe(self) -> None:
        def connect_as_pipe(conn: heptora._UnixHTTPConnection) -> None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(conn._socket_path)
            raw = sock.makefile("rwb", buffering=0)
            sock.close()  # the file keeps the connection open, as an opened pipe
            conn.sock = heptora._PipeSocket(raw)

        before = self.robot.connections
        with mock.patch.object(heptora._UnixHTTPConnection, "connect", connect_as_pipe):
            with heptora.Client(self.robot.socket_path, TOKEN) as client:
                for _ in range(3):
                    self.assertEqual(client.get_secret("SAP_PASSWORD"), "pä$$ wörd")
        self.assertEqual(self.robot.connections - before, 1)


class RobotErrors(RobotTestCase):
    def test_maps_each_robot_code_to_its_class_with_message_status_and_hint(self) -> None:
        cases = [
            ("secret_not_declared", 404, heptora.SecretNotDeclared, "Did you mean 'SAP_USER'?"),
            ("secret_value_missing", 404, heptora.SecretValueMissing, None),
            ("invalid_run_token", 401, heptora.InvalidRunToken, None),
            ("vault_locked", 423, heptora.VaultLocked, "Unlock it and try again."),
            ("robot_not_signed_in", 401, heptora.RobotNotSignedIn, None),
            ("a_code_from_a_newer_robot", 409, heptora.SecretError, None),
        ]
        for code, status, cls, hint in cases:
            with self.subTest(code=code):
                message = "Robot says %s." % code
                body = {"code": code, "message": message}
                if hint:
                    body["hint"] = hint

                def answer(request: RobotHandler, status: int = status, body: dict = body) -> None:
                    request.reply_json(status, {"error": body})

                self.robot.handler = answer
                error = self.raised(lambda: self.client.get_secret("SAP_USR"))
                self.assertIs(type(error), cls)
                self.assertEqual(error.code, code)
                self.assertEqual(error.status, status)
                self.assertEqual(error.hint, hint)
                self.assertEqual(str(error), message)

    def test_masks_the_run_token_should_the_robot_ever_echo_it(self) -> None:
        self.robot.handler = lambda request: request.reply_json(
            401,
            {
                "error": {
                    "code": "invalid_run_token",
                    "message": "Token %s is not valid." % TOKEN,
                    "hint": "Not %s." % TOKEN,
                }
            },
        )
        error = self.raised(lambda: self.client.get_secret("SAP_USER"))
        self.assertEqual(str(error), "Token *** is not valid.")
        self.assertEqual(error.hint, "Not ***.")

    def test_reports_bad_response_without_quoting_the_body(self) -> None:
        cases = [
            ("a 200 that is not JSON", 200, b"value=hunter2-secret"),
            ("a 200 without a value", 200, b'{"name":"SAP_USER"}'),
            ("a 200 for another name", 200, b'{"name":"OTHER","value":"hunter2-secret"}'),
            ("a 200 that is not UTF-8", 200, b"\xff\xfehunter2-secret"),
            ("an error status without an error body", 500, b"<html>hunter2-secret</html>"),
        ]
        for what, status, body in cases:
            with self.subTest(what):

                def answer(request: RobotHandler, status: int = status, body: bytes = body) -> None:
                    request.reply(status, body)

                self.robot.handler = answer
                error = self.raised(lambda: self.client.get_secret("SAP_USER"))
                self.assertIsInstance(error, heptora.BadResponse)
                self.assertEqual(error.code, "bad_response")
                self.assertEqual(error.status, status)
                self.assertNotIn("hunter2", str(error))

    def test_times_out_with_robot_timeout_when_the_robot_does_not_answer(self) -> None:
        released = threading.Event()
        self.addCleanup(released.set)
        self.robot.handler = lambda request: released.wait(5)
        client = heptora.Client(self.robot.socket_path, TOKEN, timeout=0.2)
        self.addCleanup(client.close)
        error = self.raised(lambda: client.get_secret("SAP_USER"))
        self.assertIsInstance(error, heptora.RobotTimeout)
        self.assertIn("did not answer within 0.2 s", str(error))


class Names(RobotTestCase):
    def test_refuses_a_badly_formed_name_before_sending_anything(self) -> None:
        sent = len(self.robot.requests)
        error = self.raised(lambda: self.client.get_secret("sap password"))
        self.assertIsInstance(error, heptora.InvalidSecretName)
        self.assertIsInstance(error, ValueError)
        self.assertEqual(error.code, "invalid_secret_name")
        self.assertIsNone(error.status)
        self.assertIsNone(error.hint)
        self.assertRegex(
            str(error),
            r"^'sap password' is not a valid secret name\. .* Did you mean 'SAP_PASSWORD'\?$",
        )
        for bad in ["", "SAP/USER", "../SAP", "A" + "B" * 64, "SAP_USER\n", None, 42]:
            with self.subTest(bad=bad):
                error = self.raised(lambda: self.client.get_secret(bad))  # type: ignore[arg-type]
                self.assertEqual(error.code, "invalid_secret_name")
        self.assertEqual(len(self.robot.requests), sent)

    def test_suggests_names_as_the_robot_does(self) -> None:
        cases = {
            "sap password": "SAP_PASSWORD",
            "sapPassword": "SAP_PASSWORD",
            "2fa-code": "V_2FA_CODE",
            "Crème brûlée": "CREME_BRULEE",
            "___": None,
        }
        for given, expected in cases.items():
            with self.subTest(given=given):
                self.assertEqual(heptora._suggest_name(given), expected)


class Environment(unittest.TestCase):
    """get_secret() and the environment `heptora run` sets."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.robot = FakeRobot(secrets_handler({"SAP_USER": "ana"}))
        cls.other = FakeRobot(secrets_handler({"SAP_USER": "bob"}))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.robot.close()
        cls.other.close()

    def setUp(self) -> None:
        patcher = mock.patch.dict(os.environ, clear=False)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("HEPTORA_ROBOT_SOCKET", None)
        os.environ.pop("HEPTORA_RUN_TOKEN", None)

    def test_says_how_to_run_the_automation_when_the_socket_is_not_set(self) -> None:
        os.environ["HEPTORA_RUN_TOKEN"] = TOKEN
        with self.assertRaises(heptora.NotInARun) as caught:
            heptora.get_secret("SAP_USER")
        self.assertEqual(caught.exception.code, "not_in_a_run")
        self.assertEqual(
            str(caught.exception),
            "HEPTORA_ROBOT_SOCKET is not set: run this automation with "
            "`heptora run PROCESS -- ...` so that it can reach the robot.",
        )

    def test_says_the_same_of_the_run_token(self) -> None:
        os.environ["HEPTORA_ROBOT_SOCKET"] = self.robot.socket_path
        with self.assertRaisesRegex(heptora.NotInARun, "^HEPTORA_RUN_TOKEN is not set"):
            heptora.get_secret("SAP_USER")

    def test_reads_the_environment_at_each_call_and_reuses_the_connection(self) -> None:
        os.environ["HEPTORA_ROBOT_SOCKET"] = self.robot.socket_path
        os.environ["HEPTORA_RUN_TOKEN"] = TOKEN
        before = self.robot.connections
        for _ in range(3):
            self.assertEqual(heptora.get_secret("SAP_USER"), "ana")
        self.assertEqual(self.robot.connections - before, 1)
        self.assertEqual(self.robot.requests[-1]["authorization"], "Bearer " + TOKEN)
        os.environ["HEPTORA_ROBOT_SOCKET"] = self.other.socket_path
        self.assertEqual(heptora.get_secret("SAP_USER"), "bob")

    def test_reports_robot_not_running_when_the_socket_is_gone(self) -> None:
        os.environ["HEPTORA_ROBOT_SOCKET"] = os.path.join(self.robot.dir, "gone.sock")
        os.environ["HEPTORA_RUN_TOKEN"] = TOKEN
        with self.assertRaises(heptora.RobotNotRunning) as caught:
            heptora.get_secret("SAP_USER")
        self.assertEqual(
            str(caught.exception), "The robot is not running. Start it with `heptora start`."
        )
        self.assertIsNone(caught.exception.status)

    def test_reports_robot_not_running_when_the_socket_is_stale(self) -> None:
        stale = os.path.join(self.robot.dir, "stale.sock")
        with open(stale, "w"):
            pass
        with self.assertRaises(heptora.RobotNotRunning):
            heptora.Client(stale, TOKEN).get_secret("SAP_USER")

    def test_refuses_a_malformed_run_token_without_echoing_it(self) -> None:
        with self.assertRaises(heptora.NotInARun) as caught:
            heptora.Client(self.robot.socket_path, TOKEN + "\r\nX-Injected: 1")
        self.assertNotIn(TOKEN, str(caught.exception))


if __name__ == "__main__":
    unittest.main()
