"""Stand-in for robocorp.vault: get_secret / set_secret through the configured adapter."""

from ._secrets import SecretContainer

_vault = None


def _get_vault():
    global _vault
    if _vault is None:
        from ._vault import Vault

        _vault = Vault()
    return _vault


def get_secret(name, hide=True):
    return _get_vault().get_secret(name)


def set_secret(secret, hide=True):
    _get_vault().set_secret(secret)


__all__ = ["get_secret", "set_secret", "SecretContainer"]
