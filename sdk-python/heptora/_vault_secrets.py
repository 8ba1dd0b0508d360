"""What the RPA Framework and robocorp.vault adapters share: a vault secret ``sap`` is the names
the process declares that start with ``SAP_``, keyed by the rest in lower case (``SAP_USER`` ->
``user``), each value read through :func:`heptora.get_secret` (so each read is audited)."""

import re
from typing import Dict, Tuple

import heptora

_NOT_NAME = re.compile(r"[^A-Z0-9]+")


def prefix_of(secret_name: object) -> str:
    """``sap`` -> ``SAP_``; ``sap-gui`` -> ``SAP_GUI_``."""
    if not isinstance(secret_name, str) or not secret_name.strip():
        raise heptora.InvalidSecretName(
            "A vault secret needs a name, such as 'sap' for the names SAP_USER, SAP_PASSWORD."
        )
    folded = _NOT_NAME.sub("_", secret_name.strip().upper()).strip("_")
    if not folded or not folded[0].isalpha() or len(folded) > 60:
        shown = secret_name if len(secret_name) <= 80 else secret_name[:77] + "..."
        raise heptora.InvalidSecretName(
            "'%s' cannot name Heptora secrets: use letters, digits and _ and start with a letter, "
            "such as 'sap' for the names SAP_USER, SAP_PASSWORD." % shown
        )
    return folded + "_"


def read_vault_secret(secret_name: str) -> Tuple[str, Dict[str, str]]:
    """(description, values) of the vault secret ``secret_name``; raises a SecretError naming
    the prefix when the process declares no name with it."""
    prefix = prefix_of(secret_name)
    names = [
        name
        for name in heptora.declared_names()
        if name.startswith(prefix) and len(name) > len(prefix)
    ]
    if not names:
        raise heptora.SecretNotDeclared(
            "The process declares no names starting with '%s', so there is no vault secret "
            "'%s'. Declare them on the platform (for example %sUSER, %sPASSWORD)."
            % (prefix, secret_name, prefix, prefix)
        )
    values = {name[len(prefix) :].lower(): heptora.get_secret(name) for name in names}
    description = "Heptora: %s" % ", ".join(names)
    return description, values


def refuse_set(secret_name: str) -> heptora.SecretError:
    return heptora.SecretError(
        "Heptora values are set on the robot, not by the automation: set '%s' with "
        "`heptora secrets set NAME` or in the Secrets window." % secret_name,
        code="read_only",
    )
