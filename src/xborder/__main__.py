from xborder.entrypoints.cli import main

main()
