"""The benchmark of poolconsole: `make bench` runs bench/run.py."""
