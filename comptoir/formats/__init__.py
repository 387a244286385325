"""Date and number formats that override Django's per language (settings.FORMAT_MODULE_PATH).

A date is never written with slashes, which readers on each side of the Atlantic take for a
different day (06/12/2026): short dates are ISO (2026-12-06), long ones name the month.
"""
