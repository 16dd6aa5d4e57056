"""`python -m peerlog` runs the command line."""

from peerlog.cli.app import main

main()
