"""robocorp.vault, answered by Heptora (docs/adr/0076).

``heptora run`` sets ``RC_VAULT_SECRET_MANAGER=heptora.robocorp_vault.HeptoraSecretManager``
when it is not set, so a robot using ``robocorp.vault`` works unchanged::

    from robocorp import vault

    sap = vault.get_secret("sap")
    sap["user"], sap["password"]

The vault secret ``sap`` is the names the process declares that start with ``SAP_``, keyed in
lower case without the prefix (``SAP_USER`` -> ``user``), each read through
``heptora.get_secret`` (audited). Written against robocorp.vault's ``BaseSecretManager``
(``robocorp/vault/_vault.py``) and ``SecretContainer``: ``get_secret(secret_name) ->
SecretContainer(name, description, values)`` and ``set_secret(secret)``; tested against a
stand-in with that interface.
"""

from robocorp.vault import SecretContainer

try:
    from robocorp.vault._vault import BaseSecretManager
except ImportError:  # pragma: no cover - an older layout of robocorp.vault
    from robocorp.vault.vault import BaseSecretManager  # type: ignore[no-redef]

from heptora._vault_secrets import read_vault_secret, refuse_set

__all__ = ["HeptoraSecretManager"]


class HeptoraSecretManager(BaseSecretManager):
    """A robocorp.vault secret manager reading from the Heptora robot of this run."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def get_secret(self, secret_name: str) -> SecretContainer:
        description, values = read_vault_secret(secret_name)
        return SecretContainer(secret_name, description, values)

    def set_secret(self, secret: SecretContainer) -> None:
        raise refuse_set(getattr(secret, "name", "?"))
