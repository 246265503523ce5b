"""Reports: terminal renderings and Markdown of grades and questions."""

from pmloop.report._markdown import grade_markdown
from pmloop.report._terminal import render_grade, render_question, render_question_list

__all__ = ["grade_markdown", "render_grade", "render_question", "render_question_list"]
