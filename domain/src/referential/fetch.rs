//! Obtaining the pinned referential package when no `--from` folder is given.
//!
//! `npm pack` downloads the exact version from the npm registry and checks its integrity;
//! the tarball is unpacked once under the data dir and reused by later imports.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{DomainError, DomainResult};

pub const PACKAGE_NAME: &str = "@etalab/decoupage-administratif";
pub const PACKAGE_VERSION: &str = "6.0.0";

fn run(cmd: &mut Command, what: &str) -> DomainResult<()> {
    let output = cmd.output().map_err(|e| {
        DomainError::Referential(format!("cannot run {what}: {e} (is it installed?)"))
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(DomainError::Referential(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// Returns a folder holding the package's `data/*.json`, downloading it if needed.
pub fn fetch_pinned_package(cache_dir: &Path) -> DomainResult<PathBuf> {
    let target = cache_dir.join(format!("decoupage-administratif-{PACKAGE_VERSION}"));
    let package_dir = target.join("package");
    if package_dir.join("data").join("communes.json").is_file() {
        return Ok(package_dir);
    }
    // Unpack beside the target and rename, so a reader never sees half a package.
    let staging = cache_dir.join(format!(".staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    run(
        Command::new("npm")
            .arg("pack")
            .arg(format!("{PACKAGE_NAME}@{PACKAGE_VERSION}"))
            .arg("--silent")
            .arg("--pack-destination")
            .arg(&staging),
        "npm pack",
    )?;
    let tarball = staging.join(format!(
        "etalab-decoupage-administratif-{PACKAGE_VERSION}.tgz"
    ));
    run(
        Command::new("tar")
            .arg("xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&staging),
        "tar",
    )?;
    std::fs::remove_file(&tarball)?;
    if target.exists() {
        std::fs::remove_dir_all(&target)?;
    }
    std::fs::rename(&staging, &target)?;
    Ok(package_dir)
}
