"""The data bureau's interface (INTERFACE 9, 9a; Art. 22-23): feed, aggregates, grants."""
