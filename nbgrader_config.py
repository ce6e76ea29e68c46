"""nbgrader settings of the EIC Course; the repository root is the course directory."""

from pathlib import Path

import nbgrader
import yaml
from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.preprocessors import ClearHiddenTests, Execute

import eic
from eic.nbgrader_hooks import VerifyAnswers
from eic.trainer.feedback import FeedbackExporter, HideTestTracebacks

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "eic"
c.CourseDirectory.root = str(Path(__file__).resolve().parent)

# Model answers of the instructor notebooks and the answer store's lock and temporary
# files never go into a release, a collected submission or an autograded copy.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*-answers.model.json",
    ".*-answers*.json.lock",
    ".*-answers*.json.*.tmp",
    "*-own-*.model.csv",
    "*-own-*.model.json",
    ".*-own-*.tmp",
    ".*-own-*.lock",
]

# A participant's answer file is theirs: never overwrite it with a file of the same name
# from source/ when autograding.
_syllabus = yaml.safe_load(
    (Path(__file__).resolve().parent / "course" / "syllabus.yml").read_text()
)
c.Autograde.exclude_overwriting = {
    m["folder"]: [f"{m['id']}-answers.json"] for m in _syllabus["modules"]
}

# A solution region of a worksheet cell records a model answer; in the released notebook
# it becomes this comment, which runs without error.
c.ClearSolutions.code_stub = {
    "python": "# Answer with the widget below: your answer is saved as you go."
}
c.ClearSolutions.text_stub = "Write your answer here."

c.Execute.timeout = 120
c.Execute.kernel_name = "python3"
# The kernels nbgrader runs talk to it over local network ports: encrypted with keys made
# for each kernel (its kernel spec supports it), instead of in plain text with a warning
# about eavesdropping printed for every notebook released or graded.
c.KernelManager.transport_encryption = "auto"

# Re-check every test cell outside the participant's kernel right after execution.
_steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
c.Autograde.autograde_preprocessors = (
    _steps[: _steps.index(Execute) + 1] + [VerifyAnswers] + _steps[_steps.index(Execute) + 1 :]
)

# Feedback shows no hidden test (nbgrader issue #917): remove the hidden region of each test
# cell's code, and keep only the message of a failed test, not the traceback that quotes it.
_feedback = list(GenerateFeedback.class_traits()["preprocessors"].default())
c.GenerateFeedback.preprocessors = (
    _feedback[:1] + [ClearHiddenTests, HideTestTracebacks] + _feedback[1:]
)

# Feedback is read by officials who do not program: the course's page (extending nbgrader's)
# names each score by its question and shows what each cell printed, not its code. It is set
# on an exporter of its own: nbgrader sets HTMLExporter's template when it makes feedback.
c.GenerateFeedback.exporter_class = FeedbackExporter
c.FeedbackExporter.template_name = "eic-feedback"
c.FeedbackExporter.template_file = "eic-feedback.html.j2"  # it extends nbgrader's index.html.j2
c.FeedbackExporter.exclude_input_prompt = True  # no "In [4]:" beside what a cell printed
c.FeedbackExporter.exclude_output_prompt = True
c.FeedbackExporter.extra_template_basedirs = [
    str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"),
    str(Path(eic.__file__).parent / "feedback_templates"),
]
