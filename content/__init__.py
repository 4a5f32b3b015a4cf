"""Loading of YAML content files (questionnaires, catalogs, statistics) with precise errors.

Every content file in the project goes through :func:`load_model`, so a broken file is always
reported the same way: ``PATH:LINE: yaml.path: message``, never a traceback.
"""

from content.errors import ContentError, Problem
from content.loader import load_model, load_yaml, parse_yaml

__all__ = ["ContentError", "Problem", "load_model", "load_yaml", "parse_yaml"]
