"""runner: the job kinds (tasks: kind → a function of the loop or insight) and the alarm clock
(scheduler: APScheduler ticks that drain due jobs and enqueue reconciliation and drop checks).

May import: learn, insight, loop, wiring, jobs, helpdesks, store, core.
"""
