"""Metrics by segment and period, counted by the database in one indexed GROUP BY per question.

Split by concern (issue 21): periods (calendar windows, `--since` forms), counts (the question, the
rating and survey counts per segment-window, rows ranked worst first), outcome_rates (reopens,
failed resolutions, ... beside CSAT), ai_vs_human (like with like) and behind (the ratings behind
a figure). Everything public is re-exported here: `from feedbackloop.insight.metrics import X`.
"""

from __future__ import annotations

from feedbackloop.insight.metrics.ai_vs_human import AiVsHuman as AiVsHuman
from feedbackloop.insight.metrics.ai_vs_human import Cells as Cells
from feedbackloop.insight.metrics.ai_vs_human import IntentComparison as IntentComparison
from feedbackloop.insight.metrics.ai_vs_human import ai_vs_human as ai_vs_human
from feedbackloop.insight.metrics.ai_vs_human import compare_resolvers as compare_resolvers
from feedbackloop.insight.metrics.ai_vs_human import report_figures as report_figures
from feedbackloop.insight.metrics.ai_vs_human import resolver_cells as resolver_cells
from feedbackloop.insight.metrics.behind import SCORE_BANDS as SCORE_BANDS
from feedbackloop.insight.metrics.behind import RatedTicket as RatedTicket
from feedbackloop.insight.metrics.behind import ratings_behind as ratings_behind
from feedbackloop.insight.metrics.behind import segment_label as segment_label
from feedbackloop.insight.metrics.counts import _SHARED_READS as _SHARED_READS
from feedbackloop.insight.metrics.counts import DIMENSIONS as DIMENSIONS
from feedbackloop.insight.metrics.counts import EMPTY as EMPTY
from feedbackloop.insight.metrics.counts import NONE_LABEL as NONE_LABEL
from feedbackloop.insight.metrics.counts import RESOLVERS as RESOLVERS
from feedbackloop.insight.metrics.counts import Counts as Counts
from feedbackloop.insight.metrics.counts import Dimension as Dimension
from feedbackloop.insight.metrics.counts import Key as Key
from feedbackloop.insight.metrics.counts import MetricsQuery as MetricsQuery
from feedbackloop.insight.metrics.counts import SegmentRow as SegmentRow
from feedbackloop.insight.metrics.counts import _rollup_keeps as _rollup_keeps
from feedbackloop.insight.metrics.counts import _split as _split
from feedbackloop.insight.metrics.counts import _window_of_day as _window_of_day
from feedbackloop.insight.metrics.counts import bad as bad
from feedbackloop.insight.metrics.counts import bucket_label as bucket_label
from feedbackloop.insight.metrics.counts import build_rows as build_rows
from feedbackloop.insight.metrics.counts import filter_clauses as filter_clauses
from feedbackloop.insight.metrics.counts import key_of as key_of
from feedbackloop.insight.metrics.counts import measures as measures
from feedbackloop.insight.metrics.counts import overall as overall
from feedbackloop.insight.metrics.counts import rank as rank
from feedbackloop.insight.metrics.counts import rating_counts as rating_counts
from feedbackloop.insight.metrics.counts import rollup_days as rollup_days
from feedbackloop.insight.metrics.counts import satisfied as satisfied
from feedbackloop.insight.metrics.counts import segment_rows as segment_rows
from feedbackloop.insight.metrics.counts import segments_and_total as segments_and_total
from feedbackloop.insight.metrics.counts import sent_counts as sent_counts
from feedbackloop.insight.metrics.counts import shared_rollup_reads as shared_rollup_reads
from feedbackloop.insight.metrics.counts import supports_response as supports_response
from feedbackloop.insight.metrics.counts import tenant_clause as tenant_clause
from feedbackloop.insight.metrics.counts import total_row as total_row
from feedbackloop.insight.metrics.counts import trend as trend
from feedbackloop.insight.metrics.counts import window_of as window_of
from feedbackloop.insight.metrics.outcome_rates import OutcomeCounts as OutcomeCounts
from feedbackloop.insight.metrics.outcome_rates import Outcomes as Outcomes
from feedbackloop.insight.metrics.outcome_rates import outcome_rates as outcome_rates
from feedbackloop.insight.metrics.outcome_rates import verdict_counts as verdict_counts
from feedbackloop.insight.metrics.periods import EARLIEST as EARLIEST
from feedbackloop.insight.metrics.periods import LATEST as LATEST
from feedbackloop.insight.metrics.periods import RELATIVE as RELATIVE
from feedbackloop.insight.metrics.periods import RELATIVE_UNITS as RELATIVE_UNITS
from feedbackloop.insight.metrics.periods import TIME_HELP as TIME_HELP
from feedbackloop.insight.metrics.periods import Window as Window
from feedbackloop.insight.metrics.periods import bucket_start as bucket_start
from feedbackloop.insight.metrics.periods import parse_moment as parse_moment
from feedbackloop.insight.metrics.periods import shift as shift
from feedbackloop.insight.segments import DIMENSION_NAMES as DIMENSION_NAMES
from feedbackloop.insight.segments import MIN_N as MIN_N
from feedbackloop.insight.segments import PERIODS as PERIODS
