use clap::Parser;

/// How long the process waits, once its work is done, for blocking tasks still running. A
/// page render whose client went away can stay stuck in the reactive system's owner cleanup
/// (seen under load: a write lock waited for by the thread holding it); without this bound,
/// dropping the runtime waits for it forever and the process never exits.
const BLOCKING_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

fn main() -> std::process::ExitCode {
    server::telemetry::init();
    let cli = server::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("erreur : impossible de démarrer le moteur asynchrone : {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(server::commands::run(cli));
    runtime.shutdown_timeout(BLOCKING_GRACE);
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erreur : {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
