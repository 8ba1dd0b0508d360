"""Stand-in for RPA Framework's RPA.Robocorp.Vault: the same interface, none of the cloud."""

import collections.abc
import os
from abc import ABCMeta, abstractmethod

from _loading import import_by_name


class Secret(collections.abc.Mapping):
    def __init__(self, name, description, values):
        self._name = name
        self._desc = description
        self._dict = collections.OrderedDict(**values)

    @property
    def name(self):
        return self._name

    @property
    def description(self):
        return self._desc

    def __getitem__(self, key):
        return self._dict[key]

    def __iter__(self):
        return iter(self._dict)

    def __len__(self):
        return len(self._dict)

    def __repr__(self):
        return "Secret(name=%s, keys=[%s])" % (self.name, ", ".join(self._dict))


class BaseSecretManager(metaclass=ABCMeta):
    @abstractmethod
    def get_secret(self, secret_name):
        """Return ``Secret`` object with given name."""

    @abstractmethod
    def set_secret(self, secret):
        """Set a secret with a new value."""


class Vault:
    ROBOT_LIBRARY_SCOPE = "GLOBAL"

    def __init__(self, *args, **kwargs):
        adapter = os.environ.get("RPA_SECRET_MANAGER")
        if adapter is None:
            raise RuntimeError("The stand-in has no Control Room: set RPA_SECRET_MANAGER.")
        adapter_class = import_by_name(adapter)
        if not issubclass(adapter_class, BaseSecretManager):
            raise ValueError("Adapter '%s' does not inherit from BaseSecretManager" % adapter)
        self._adapter = adapter_class(*args, **kwargs)

    def get_secret(self, secret_name):
        return self._adapter.get_secret(secret_name)

    def set_secret(self, secret):
        self._adapter.set_secret(secret)
