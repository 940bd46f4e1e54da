"""``{{ name }}`` placeholders of admin-written texts (emails, offer letters).

Not the template engine: an admin's text cannot run tags or fail to parse, and a value goes
in as written. Unknown placeholders are left as they are, so a typo shows instead of vanishing.
"""

import re

_PLACEHOLDER = re.compile(r"{{\s*(\w+)\s*}}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
