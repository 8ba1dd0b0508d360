import os
from abc import ABCMeta, abstractmethod

from _loading import import_by_name


class BaseSecretManager(metaclass=ABCMeta):
    @abstractmethod
    def get_secret(self, secret_name):
        """Return ``SecretContainer`` object with given name."""

    @abstractmethod
    def set_secret(self, secret):
        """Set a secret with a new value."""


class Vault:
    def __init__(self):
        adapter = os.environ.get("RC_VAULT_SECRET_MANAGER") or os.environ.get("RPA_SECRET_MANAGER")
        if adapter is None:
            raise RuntimeError("The stand-in has no Control Room: set RC_VAULT_SECRET_MANAGER.")
        adapter_class = import_by_name(adapter)
        if not issubclass(adapter_class, BaseSecretManager):
            raise ValueError("Adapter '%s' does not inherit from BaseSecretManager" % adapter)
        self.adapter = adapter_class()

    def get_secret(self, secret_name):
        return self.adapter.get_secret(secret_name)

    def set_secret(self, secret):
        self.adapter.set_secret(secret)
