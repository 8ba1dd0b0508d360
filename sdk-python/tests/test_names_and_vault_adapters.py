"""declared_names(), and the RPA Framework / robocorp.vault adapters against stand-ins with the
interfaces of those libraries (tests/stand_ins: neither library can be installed here)."""

import os
import sys
import unittest
from unittest import mock

import heptora

from .fake_robot import FakeRobot, secrets_handler

TOKEN = "run_py_0123456789abcdef0123456789abcdef0123456789abcdef"
STAND_INS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stand_ins")
VALUES = {
    "SAP_USER": "ana-sap",
    "SAP_PASSWORD": "pä$$ wörd 42",
    "SAPPHIRE_KEY": "not part of sap",
    "MAIL_PASSWORD": "mail secret value",
}


class InARun(unittest.TestCase):
    """A fake robot, and the environment `heptora run` sets, pointing at it."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.robot = FakeRobot(secrets_handler(VALUES))
        if STAND_INS not in sys.path:
            sys.path.insert(0, STAND_INS)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.robot.close()
        sys.path.remove(STAND_INS)

    def setUp(self) -> None:
        patcher = mock.patch.dict(
            os.environ,
            {"HEPTORA_ROBOT_SOCKET": self.robot.socket_path, "HEPTORA_RUN_TOKEN": TOKEN},
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def paths_since(self, start: int) -> list:
        return [request["path"] for request in self.robot.requests[start:]]


class DeclaredNames(InARun):
    def test_lists_the_names_the_process_declares_with_the_run_token_and_no_value(self) -> None:
        start = len(self.robot.requests)
        names = heptora.declared_names()
        self.assertEqual(names, list(VALUES))
        self.assertEqual(self.paths_since(start), ["/v1/secrets"])
        self.assertEqual(self.robot.requests[-1]["authorization"], "Bearer " + TOKEN)

    def test_raises_the_robots_error(self) -> None:
        self.robot.handler = lambda request: request.reply_json(
            401, {"error": {"code": "invalid_run_token", "message": "The run token is not valid."}}
        )
        self.addCleanup(setattr, self.robot, "handler", secrets_handler(VALUES))
        with self.assertRaises(heptora.InvalidRunToken):
            heptora.declared_names()

    def test_says_how_to_run_the_automation_outside_a_run(self) -> None:
        del os.environ["HEPTORA_RUN_TOKEN"]
        with self.assertRaisesRegex(heptora.NotInARun, "^HEPTORA_RUN_TOKEN is not set"):
            heptora.declared_names()


class RpaFrameworkVault(InARun):
    def setUp(self) -> None:
        super().setUp()
        os.environ["RPA_SECRET_MANAGER"] = "heptora.rpa.HeptoraSecretManager"

    def test_get_secret_sap_is_the_SAP_names_keyed_in_lower_case_each_read_by_name(self) -> None:
        from RPA.Robocorp.Vault import Secret, Vault

        start = len(self.robot.requests)
        secret = Vault().get_secret("sap")
        self.assertIsInstance(secret, Secret)
        self.assertEqual(secret.name, "sap")
        self.assertEqual(dict(secret), {"user": "ana-sap", "password": "pä$$ wörd 42"})
        self.assertEqual(
            self.paths_since(start),
            ["/v1/secrets", "/v1/secrets/SAP_USER", "/v1/secrets/SAP_PASSWORD"],
        )
        self.assertNotIn("pä$$", repr(secret))
        self.assertNotIn("pä$$", secret.description)

    def test_a_secret_with_no_declared_names_says_which_prefix_it_looked_for(self) -> None:
        from RPA.Robocorp.Vault import Vault

        with self.assertRaises(heptora.SecretNotDeclared) as caught:
            Vault().get_secret("crm")
        self.assertIn("no names starting with 'CRM_'", str(caught.exception))

    def test_refuses_a_name_that_cannot_name_heptora_secrets_before_asking_the_robot(self) -> None:
        from RPA.Robocorp.Vault import Vault

        start = len(self.robot.requests)
        for bad in ["", "  ", "42", "-"]:
            with self.assertRaises(heptora.InvalidSecretName):
                Vault().get_secret(bad)
        self.assertEqual(self.paths_since(start), [])

    def test_set_secret_is_refused_with_where_values_are_set(self) -> None:
        from RPA.Robocorp.Vault import Secret, Vault

        with self.assertRaisesRegex(heptora.SecretError, "heptora secrets set"):
            Vault().set_secret(Secret("sap", "", {"user": "x"}))


class RobocorpVault(InARun):
    def setUp(self) -> None:
        super().setUp()
        os.environ["RC_VAULT_SECRET_MANAGER"] = "heptora.robocorp_vault.HeptoraSecretManager"

    def test_get_secret_sap_is_the_SAP_names_keyed_in_lower_case(self) -> None:
        from robocorp import vault

        vault._vault = None  # the stand-in caches its adapter, as robocorp.vault does
        secret = vault.get_secret("sap")
        self.assertIsInstance(secret, vault.SecretContainer)
        self.assertEqual(dict(secret), {"user": "ana-sap", "password": "pä$$ wörd 42"})
        self.assertEqual(secret["password"], "pä$$ wörd 42")
        self.assertEqual(dict(vault.get_secret("mail")), {"password": "mail secret value"})


if __name__ == "__main__":
    unittest.main()
