//! The conformance suite every backend must pass.
//!
//! Each case is a `pub async fn(Arc<dyn Store>)` that panics with a clear message when
//! the backend breaks the contract written in the doc comments of this crate. A backend
//! runs them all with [`conformance_suite!`](crate::conformance_suite), one test per
//! case, each on a fresh store. Cases still use accounts of their own (see
//! [`support::scope`]) so that none depends on the store being empty where it can avoid
//! it.

pub mod batches;
pub mod concurrency;
pub mod documents;
pub mod filters;
pub mod guard;
pub mod history;
pub mod isolation;
pub mod lookups;
pub mod outbox;
pub mod purge_and_snapshots;
pub mod request_log;
pub mod scale;
pub mod sequences;
pub mod sorting_and_pages;
pub mod stats;
pub mod support;

use std::future::Future;
use std::sync::Arc;

use crate::Store;

/// Runs one case on the store the factory opens for it, or reports that the backend is
/// not configured here (the factory returned `None`).
pub async fn run<F, Fut, C, CFut>(case: &'static str, factory: F, body: C)
where
    F: FnOnce(&'static str) -> Fut,
    Fut: Future<Output = Option<Arc<dyn Store>>>,
    C: FnOnce(Arc<dyn Store>) -> CFut,
    CFut: Future<Output = ()>,
{
    match factory(case).await {
        Some(store) => body(store).await,
        None => eprintln!("conformance case {case} skipped: backend not configured"),
    }
}

/// Expands to `mod $module { ... }` with one multi-threaded tokio test per conformance
/// case. `$factory` is called as `$factory(case_name: &'static str)` and returns a future
/// of `Option<Arc<dyn Store>>`: a fresh store for that case, or `None` to skip it.
/// Items of the calling module are visible to `$factory` (the module glob-imports
/// `super::*`). The caller needs no tokio of its own, but must know this crate as
/// `twin_store` (the tests name tokio through it).
#[macro_export]
macro_rules! conformance_suite {
    ($module:ident, $factory:expr $(,)?) => {
        $crate::__conformance_cases!($module, $factory;
            documents::put_get_and_versions,
            documents::deletes_with_expectations,
            lookups::lookups_are_unique,
            lookups::lookups_follow_changes_and_deletes,
            lookups::lookups_are_scoped,
            batches::failed_batch_leaves_nothing,
            batches::batch_results_come_in_order,
            batches::large_batches_are_whole,
            filters::compare_integers_and_decimals,
            filters::compare_strings_and_booleans,
            filters::compare_null_and_in,
            filters::indexed_fields_compare_the_same,
            filters::long_in_lists,
            filters::text_matching,
            filters::is_empty_and_id_in,
            filters::array_holds,
            filters::nested_and_odd_paths,
            filters::boolean_logic,
            filters::invalid_paths,
            sorting_and_pages::sort_orders,
            sorting_and_pages::offset_pages,
            sorting_and_pages::cursor_pages,
            sorting_and_pages::pages_starting_at_an_id,
            sorting_and_pages::malformed_cursor,
            sorting_and_pages::several_kinds,
            sorting_and_pages::large_id_sets,
            sorting_and_pages::totals_follow_writes,
            isolation::scopes_are_isolated,
            sequences::sequences_count_per_scope,
            sequences::concurrent_sequences,
            sequences::reserved_blocks,
            history::history_ids_and_queries,
            history::concurrent_history_ids,
            outbox::delivery_lifecycle,
            outbox::list_and_count_deliveries,
            outbox::concurrent_claimers,
            request_log::log_append_and_get,
            request_log::log_queries,
            request_log::log_paging,
            purge_and_snapshots::purge_one_dialect,
            purge_and_snapshots::purge_whole_account,
            purge_and_snapshots::export_import_round_trip,
            purge_and_snapshots::import_hand_written_snapshot,
            concurrency::concurrent_increments,
            concurrency::concurrent_creates,
            concurrency::readers_never_mix_commits,
            scale::hundred_thousand_documents,
            stats::kinds_are_counted_per_account,
            stats::log_samples_of_a_window,
            stats::deliveries_are_counted_by_state,
        );
    };
}

/// One test per `area::case`; see [`conformance_suite!`](crate::conformance_suite).
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    ($module:ident, $factory:expr; $($area:ident :: $case:ident),* $(,)?) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[$crate::__private::tokio::test(
                    flavor = "multi_thread",
                    worker_threads = 2,
                    crate = "twin_store::__private::tokio"
                )]
                async fn $case() {
                    $crate::conformance::run(
                        stringify!($case),
                        $factory,
                        $crate::conformance::$area::$case,
                    )
                    .await;
                }
            )*
        }
    };
}
