from feedbackloop.cli import main

main()
