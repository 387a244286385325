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
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
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
