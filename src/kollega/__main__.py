from kollega.cli import main

main()
