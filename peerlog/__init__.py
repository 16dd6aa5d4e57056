"""peerlog: a command-line journal and goal tool for peer support."""

__version__ = "0.1.0"
