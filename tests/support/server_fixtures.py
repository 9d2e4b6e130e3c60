"""Session fixtures that start the real engine server over HTTPS (filled in by issue 3)."""
