"""Django's PostgreSQL backend, whose health check asks the socket before the server
(issue 14, bench/README.md "Fourth pass").

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` on the first use of a kept connection in
every request, so that a connection a database restart broke is replaced rather than
failing the request: one round trip per request, on pages that otherwise make one or two.
A restart, a terminated backend or a server gone away all tell the client: the server
sends its shutdown notice and closes the socket, which becomes readable. So the check
first polls the socket (no waiting): nothing to read on an idle connection means the
server has said nothing since the last statement, and the connection is used as it is;
anything to read (a shutdown notice, an end of file, an error; or a harmless notification)
falls back to Django's `SELECT 1`. A server that vanishes without a word (a network cut)
is not seen by either check until a statement fails; both leave the same instant between
the check and the first statement.

`prepared_cursor()`: the few statements every request runs (the API token's, the cache
version, the stock of a page) are prepared on the server once per connection. Django binds
parameters on the client, so PostgreSQL plans each statement again on every call: planning
the token's four-table join cost 0.23 to 0.34 ms of the server's CPU, more than running it
(bench/README.md "Sixth pass"). `PREPARED_STATEMENTS = False` (environment
`DATABASE_PREPARED_STATEMENTS=0`) turns it off behind a pooler that cannot keep prepared
statements (PgBouncer in transaction mode before 1.21).
"""

import select

from django.conf import settings
from django.db.backends.postgresql import base, operations

PREPARE_NOTHING_ELSE = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """Binds on the server and prepares every statement it runs (psycopg keeps the last
    100 per connection)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """A prepared statement's text as the client would have bound it: psycopg keeps
        none for it, and query logs and counts read it."""
        if isinstance(cursor, PreparingCursor):
            return self.compose_sql(sql, params)
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _preparing = False

    def prepared_cursor(self):
        """A cursor like `cursor()` (query logging and execute wrappers included) whose
        statements are prepared on the server."""
        if not getattr(settings, "PREPARED_STATEMENTS", True):
            return self.cursor()
        self._preparing = True
        try:
            return self.cursor()
        finally:
            self._preparing = False

    def create_cursor(self, name=None):
        if not self._preparing or name is not None:
            return super().create_cursor(name)
        if self.connection.prepare_threshold is None:
            # Django turns psycopg's preparing off (None), which `prepare=True` cannot
            # override. Django's own cursors bind on the client and never prepare; so
            # nothing but this cursor prepares, whatever the threshold.
            self.connection.prepare_threshold = PREPARE_NOTHING_ELSE
        cursor = PreparingCursor(self.connection)
        tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if self.timezone != tzloader.timezone:
            base.register_tzloader(self.timezone, cursor)
        return cursor

    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self._server_silent() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def _server_silent(self) -> bool:
        """True when the connection is open and the server has sent nothing since."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, AttributeError):
            return False
