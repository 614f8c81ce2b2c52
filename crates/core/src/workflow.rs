//! The 自评任务 (a unit-year's self-evaluation task) workflow: its statuses, the actions that move it and who
//! may take them. The web pages, the API and the store read it from here; the store keeps a status as its
//! [`TaskStatus::id`] text.

/// Where a 自评任务 stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskStatus {
    /// 已下达: the 财政局 issued it.
    Issued,
    /// 填报中: the unit is entering its records.
    Filling,
    /// 已提交待审核: with the reviewer; entry is closed.
    Submitted,
    /// 审核通过: done; entry is closed.
    Approved,
    /// 已退回修改: the reviewer sent it back.
    Returned,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] =
        [TaskStatus::Issued, TaskStatus::Filling, TaskStatus::Submitted, TaskStatus::Approved, TaskStatus::Returned];

    /// The stored text.
    pub fn id(self) -> &'static str {
        match self {
            TaskStatus::Issued => "issued",
            TaskStatus::Filling => "filling",
            TaskStatus::Submitted => "submitted",
            TaskStatus::Approved => "approved",
            TaskStatus::Returned => "returned",
        }
    }

    pub fn parse(id: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Issued => "已下达",
            TaskStatus::Filling => "填报中",
            TaskStatus::Submitted => "已提交待审核",
            TaskStatus::Approved => "审核通过",
            TaskStatus::Returned => "已退回修改",
        }
    }

    /// The label of a unit-year's task status, 未下达 when it has no task.
    pub fn label_of(status: Option<TaskStatus>) -> &'static str {
        status.map_or(NOT_ISSUED, TaskStatus::label)
    }

    /// Whether the unit may still enter records: not while the reviewer has the task or after approval.
    pub fn entry_open(status: Option<TaskStatus>) -> bool {
        !matches!(status, Some(TaskStatus::Submitted | TaskStatus::Approved))
    }
}

/// What a unit-year without a task shows.
pub const NOT_ISSUED: &str = "未下达";

/// Who takes a workflow action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskActor {
    /// The 财政局 (or a unit administrator) that issues the task.
    Issuer,
    /// Whoever enters the unit's records.
    Filler,
    /// The unit's reviewer.
    Reviewer,
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAction {
    /// 下达自评任务
    Issue,
    /// 开始填报
    Start,
    /// 提交审核
    Submit,
    /// 审核通过
    Approve,
    /// 退回修改
    Return,
}

/// Why an action was refused; the text is what users read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionRefused {
    #[error("当前状态「{}」不能执行「{}」", TaskStatus::label_of(*.current), .action.label())]
    WrongStatus { current: Option<TaskStatus>, action: TaskAction },
    #[error("「{}」须填写意见", .0.label())]
    CommentMissing(TaskAction),
    #[error("尚有 {0} 项错误级核对问题未解决，审核通过须填写理由 [APPROVE_WITH_OPEN_ERRORS]")]
    OpenErrors(usize),
}

impl TaskAction {
    pub const ALL: [TaskAction; 5] = [TaskAction::Issue, TaskAction::Start, TaskAction::Submit, TaskAction::Approve, TaskAction::Return];

    /// The id in URLs and the API.
    pub fn id(self) -> &'static str {
        match self {
            TaskAction::Issue => "issue",
            TaskAction::Start => "start",
            TaskAction::Submit => "submit",
            TaskAction::Approve => "approve",
            TaskAction::Return => "return",
        }
    }

    pub fn parse(id: &str) -> Option<TaskAction> {
        TaskAction::ALL.into_iter().find(|a| a.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskAction::Issue => "下达自评任务",
            TaskAction::Start => "开始填报",
            TaskAction::Submit => "提交审核",
            TaskAction::Approve => "审核通过",
            TaskAction::Return => "退回修改",
        }
    }

    /// The statuses it starts from; empty: the unit-year has no task yet.
    pub fn from(self) -> &'static [TaskStatus] {
        match self {
            TaskAction::Issue => &[],
            TaskAction::Start => &[TaskStatus::Issued, TaskStatus::Returned],
            TaskAction::Submit => &[TaskStatus::Filling],
            TaskAction::Approve | TaskAction::Return => &[TaskStatus::Submitted],
        }
    }

    pub fn to(self) -> TaskStatus {
        match self {
            TaskAction::Issue => TaskStatus::Issued,
            TaskAction::Start => TaskStatus::Filling,
            TaskAction::Submit => TaskStatus::Submitted,
            TaskAction::Approve => TaskStatus::Approved,
            TaskAction::Return => TaskStatus::Returned,
        }
    }

    pub fn actor(self) -> TaskActor {
        match self {
            TaskAction::Issue => TaskActor::Issuer,
            TaskAction::Start | TaskAction::Submit => TaskActor::Filler,
            TaskAction::Approve | TaskAction::Return => TaskActor::Reviewer,
        }
    }

    /// Whether it can be taken from `current` (None: no task yet).
    pub fn starts_from(self, current: Option<TaskStatus>) -> bool {
        match current {
            None => self.from().is_empty(),
            Some(s) => self.from().contains(&s),
        }
    }

    /// Whether it needs a written comment: a return always, an approval while error-level findings of the
    /// books check are open (the comment is the reviewer's reason).
    pub fn needs_comment(self, open_errors: usize) -> bool {
        self == TaskAction::Return || (self == TaskAction::Approve && open_errors > 0)
    }

    /// The status it leads to from `current`, or why not.
    pub fn transition(
        self,
        current: Option<TaskStatus>,
        comment: Option<&str>,
        open_errors: usize,
    ) -> Result<TaskStatus, TransitionRefused> {
        if !self.starts_from(current) {
            return Err(TransitionRefused::WrongStatus { current, action: self });
        }
        if comment.is_none_or(|c| c.trim().is_empty()) {
            if self == TaskAction::Return {
                return Err(TransitionRefused::CommentMissing(self));
            }
            if self.needs_comment(open_errors) {
                return Err(TransitionRefused::OpenErrors(open_errors));
            }
        }
        Ok(self.to())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_stored_texts_and_read_back() {
        let ids: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(ids, ["issued", "filling", "submitted", "approved", "returned"]);
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.id()), Some(s));
        }
        assert_eq!(TaskStatus::parse("done"), None);
        for a in TaskAction::ALL {
            assert_eq!(TaskAction::parse(a.id()), Some(a));
        }
    }

    #[test]
    fn the_workflow_runs_issue_start_submit_return_start_submit_approve() {
        let mut status = None;
        for (action, comment) in [
            (TaskAction::Issue, None),
            (TaskAction::Start, None),
            (TaskAction::Submit, None),
            (TaskAction::Return, Some("补充项目指标")),
            (TaskAction::Start, None),
            (TaskAction::Submit, None),
            (TaskAction::Approve, None),
        ] {
            status = Some(action.transition(status, comment, 0).unwrap());
        }
        assert_eq!(status, Some(TaskStatus::Approved));
        assert!(!TaskStatus::entry_open(status));
    }

    #[test]
    fn refusals_name_the_status_the_comment_or_the_open_errors() {
        let e = TaskAction::Approve.transition(Some(TaskStatus::Filling), None, 0).unwrap_err();
        assert_eq!(e.to_string(), "当前状态「填报中」不能执行「审核通过」");
        let e = TaskAction::Start.transition(None, None, 0).unwrap_err();
        assert_eq!(e.to_string(), "当前状态「未下达」不能执行「开始填报」");
        assert_eq!(
            TaskAction::Issue.transition(Some(TaskStatus::Issued), None, 0).unwrap_err(),
            TransitionRefused::WrongStatus { current: Some(TaskStatus::Issued), action: TaskAction::Issue }
        );
        let e = TaskAction::Return.transition(Some(TaskStatus::Submitted), Some("  "), 0).unwrap_err();
        assert_eq!(e.to_string(), "「退回修改」须填写意见");
        let e = TaskAction::Approve.transition(Some(TaskStatus::Submitted), None, 2).unwrap_err();
        assert_eq!(e.to_string(), "尚有 2 项错误级核对问题未解决，审核通过须填写理由 [APPROVE_WITH_OPEN_ERRORS]");
        assert_eq!(TaskAction::Approve.transition(Some(TaskStatus::Submitted), Some("已整改，待下年度核实"), 2), Ok(TaskStatus::Approved));
    }

    #[test]
    fn entry_is_open_until_submitted_and_again_when_returned() {
        let open: Vec<bool> = [
            None,
            Some(TaskStatus::Issued),
            Some(TaskStatus::Filling),
            Some(TaskStatus::Submitted),
            Some(TaskStatus::Approved),
            Some(TaskStatus::Returned),
        ]
        .into_iter()
        .map(TaskStatus::entry_open)
        .collect();
        assert_eq!(open, [true, true, true, false, false, true]);
    }
}
