"""Which labs exist: every module labs/v1_NN.py or labs/v2_NN.py that defines `LAB`.

Adding a lab means adding one module; nothing else lists labs (the builder, the tests and the worker all ask here).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

import labs
from labs.schema import Lab

_MODULE = re.compile(r"^v[12]_\d\d$")


@lru_cache(maxsize=1)
def all_labs() -> tuple[Lab, ...]:
    """Every lab, ordered by id."""
    found = []
    for info in pkgutil.iter_modules(labs.__path__):
        if _MODULE.match(info.name):
            module = importlib.import_module(f"labs.{info.name}")
            found.append(module.LAB)
    return tuple(sorted(found, key=lambda lab: lab.id))


def get_lab(lab_id: str) -> Lab:
    """The lab with id `lab_id` (imports only that lab's module)."""
    if not isinstance(lab_id, str) or not re.match(r"^v[12]-\d\d$", lab_id):
        from engine.errors import EngineInputError

        raise EngineInputError(f"`lab` must be a lab id like 'v1-00' (got {lab_id!r})")
    try:
        module = importlib.import_module(f"labs.{lab_id.replace('-', '_')}")
    except ModuleNotFoundError:
        from engine.errors import EngineInputError

        raise EngineInputError(f"`lab` must be one of {[lab.id for lab in all_labs()]} (got {lab_id!r})") from None
    return module.LAB
