import collections.abc


class SecretContainer(collections.abc.Mapping):
    def __init__(self, name, description, values):
        self._name = name
        self._desc = description
        self._dict = dict((str(key), value) for key, value in values.items())

    @property
    def name(self):
        return self._name

    @property
    def description(self):
        return self._desc

    def __getitem__(self, key):
        return self._dict[str(key)]

    def __iter__(self):
        return iter(self._dict)

    def __len__(self):
        return len(self._dict)

    def __repr__(self):
        return "Secret(name=%s, keys=[%s])" % (self.name, ", ".join(self._dict))
