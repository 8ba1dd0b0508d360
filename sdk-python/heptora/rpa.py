"""RPA Framework's vault, answered by Heptora (docs/adr/0076).

``heptora run`` sets ``RPA_SECRET_MANAGER=heptora.rpa.HeptoraSecretManager`` when it is not set,
so a robot using ``RPA.Robocorp.Vault`` works unchanged::

    *** Settings ***
    Library    RPA.Robocorp.Vault

    *** Tasks ***
    Sign in
        ${sap}=    Get Secret    sap
        Input Text    id:user    ${sap}[user]

The vault secret ``sap`` is the names the process declares that start with ``SAP_``, keyed in
lower case without the prefix (``SAP_USER`` -> ``user``), each read through
``heptora.get_secret`` (audited). Written against RPA Framework's ``BaseSecretManager`` and
``Secret`` (``RPA/Robocorp/Vault.py``): ``get_secret(secret_name) -> Secret(name, description,
values)`` and ``set_secret(secret)``; tested against a stand-in with that interface.
"""

from RPA.Robocorp.Vault import BaseSecretManager, Secret

from heptora._vault_secrets import read_vault_secret, refuse_set

__all__ = ["HeptoraSecretManager"]


class HeptoraSecretManager(BaseSecretManager):
    """An RPA Framework secret manager reading from the Heptora robot of this run."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass  # RPA.Robocorp.Vault passes its library arguments; Heptora needs none

    def get_secret(self, secret_name: str) -> Secret:
        description, values = read_vault_secret(secret_name)
        return Secret(secret_name, description, values)

    def set_secret(self, secret: Secret) -> None:
        raise refuse_set(getattr(secret, "name", "?"))
