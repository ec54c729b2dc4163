# English pages keep the Vietnamese day-first dates (dd/mm/yyyy); only number separators differ.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
