"""The one exception type for business refusals, carrying a stable code for every channel."""


class BusinessRuleError(Exception):
    def __init__(self, code: str, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or []
