//! Background jobs of this process (seeding an account with demo data, ...): what each
//! is doing, how far it got and how it ended, for the admin API to show. Kept in memory:
//! a replica knows only the jobs it runs, and a restart forgets them.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::clock::Clock;
use crate::{CoreError, CoreResult};

/// Ended jobs kept for inspection; older ones are forgotten.
const KEEP_ENDED: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Running,
    Finished,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    /// What the job does, e.g. `moysklad.seed`.
    pub kind: String,
    pub account: String,
    /// Units of work done and expected; the expectation may grow as the job learns more.
    pub done: u64,
    pub total: u64,
    pub state: JobState,
    pub error: Option<String>,
    /// What a finished job produced.
    pub result: Option<Value>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub struct Jobs {
    clock: Arc<dyn Clock>,
    /// Oldest first.
    jobs: Mutex<VecDeque<Job>>,
}

impl Jobs {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            jobs: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Job>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a running job, or refuses with `Conflict` while one of the same kind
    /// runs for the account. The handle reports its progress and outcome.
    pub fn start(self: &Arc<Self>, kind: &str, account: &str) -> CoreResult<JobHandle> {
        let mut jobs = self.lock();
        let busy = jobs
            .iter()
            .any(|j| j.state == JobState::Running && j.kind == kind && j.account == account);
        if busy {
            return Err(CoreError::Conflict(format!(
                "a {kind} job is already running for account {account}"
            )));
        }
        let id = uuid::Uuid::new_v4().to_string();
        jobs.push_back(Job {
            id: id.clone(),
            kind: kind.to_owned(),
            account: account.to_owned(),
            done: 0,
            total: 0,
            state: JobState::Running,
            error: None,
            result: None,
            started_at: self.clock.now(),
            finished_at: None,
        });
        Ok(JobHandle {
            jobs: Arc::clone(self),
            id,
            ended: false,
        })
    }

    pub fn get(&self, id: &str) -> Option<Job> {
        self.lock().iter().find(|j| j.id == id).cloned()
    }

    /// Every job known, newest first.
    pub fn list(&self) -> Vec<Job> {
        self.lock().iter().rev().cloned().collect()
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut Job)) {
        if let Some(job) = self.lock().iter_mut().find(|j| j.id == id) {
            change(job);
        }
    }

    fn end(&self, id: &str, state: JobState, error: Option<String>, result: Option<Value>) {
        let now = self.clock.now();
        let mut jobs = self.lock();
        if let Some(job) = jobs.iter_mut().find(|j| j.id == id) {
            job.state = state;
            job.error = error;
            job.result = result;
            job.finished_at = Some(now);
            if state == JobState::Finished {
                job.total = job.done;
            }
        }
        let ended = jobs.iter().filter(|j| j.state != JobState::Running).count();
        if ended > KEEP_ENDED {
            if let Some(oldest) = jobs.iter().position(|j| j.state != JobState::Running) {
                jobs.remove(oldest);
            }
        }
    }
}

/// A running job's reporter. Dropped without an outcome (its task panicked or was
/// cancelled), the job is marked failed.
pub struct JobHandle {
    jobs: Arc<Jobs>,
    id: String,
    ended: bool,
}

impl JobHandle {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn progress(&self, done: u64, total: u64) {
        self.jobs.update(&self.id, |job| {
            job.done = done;
            job.total = total.max(done);
        });
    }

    /// Ends the job with its result; what it did is then all there was to do.
    pub fn finish(mut self, result: Value) {
        self.ended = true;
        self.jobs
            .end(&self.id, JobState::Finished, None, Some(result));
    }

    pub fn fail(mut self, error: impl Into<String>) {
        self.ended = true;
        self.jobs
            .end(&self.id, JobState::Failed, Some(error.into()), None);
    }
}

impl Drop for JobHandle {
    fn drop(&mut self) {
        if !self.ended {
            let error = "the job stopped before it ended".to_owned();
            self.jobs.end(&self.id, JobState::Failed, Some(error), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;

    fn jobs() -> Arc<Jobs> {
        Arc::new(Jobs::new(Arc::new(SystemClock)))
    }

    #[test]
    fn one_running_job_per_kind_and_account() {
        let jobs = jobs();
        let seeding = jobs.start("moysklad.seed", "a").unwrap();
        assert!(matches!(
            jobs.start("moysklad.seed", "a"),
            Err(CoreError::Conflict(_))
        ));
        let other_account = jobs.start("moysklad.seed", "b").unwrap();
        let other_kind = jobs.start("other", "a").unwrap();
        seeding.progress(3, 10);
        let running = jobs.list();
        assert_eq!(running.len(), 3);
        assert_eq!(running[2].done, 3);
        assert_eq!(running[2].total, 10);
        seeding.finish(Value::Null);
        let again = jobs.start("moysklad.seed", "a").unwrap();
        assert_eq!(jobs.get(again.id()).unwrap().state, JobState::Running);
        drop((other_account, other_kind));
    }

    #[test]
    fn a_finished_job_did_all_there_was_and_a_dropped_one_failed() {
        let jobs = jobs();
        let finished = jobs.start("k", "a").unwrap();
        let id = finished.id().to_owned();
        finished.progress(7, 100);
        finished.finish(Value::from(7));
        let job = jobs.get(&id).unwrap();
        assert_eq!((job.state, job.done, job.total), (JobState::Finished, 7, 7));
        assert!(job.finished_at.is_some());

        let abandoned = jobs.start("k", "a").unwrap();
        let id = abandoned.id().to_owned();
        drop(abandoned);
        let job = jobs.get(&id).unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert!(job.error.is_some());
    }

    #[test]
    fn only_the_last_ended_jobs_are_kept() {
        let jobs = jobs();
        let running = jobs.start("long", "a").unwrap();
        for _ in 0..KEEP_ENDED + 5 {
            jobs.start("k", "a").unwrap().finish(Value::Null);
        }
        let kept = jobs.list();
        assert_eq!(
            kept.len(),
            KEEP_ENDED + 1,
            "the ended ones plus the running one"
        );
        assert!(kept.iter().any(|job| job.id == running.id()));
    }
}
