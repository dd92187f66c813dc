/**
 * A small question set over structured and technical documents (CSV, JSON, Markdown with
 * code blocks), written for the answer benchmark: each question names the text its
 * answer must contain. The documents are ours, shaped like the ones users upload
 * (a package table, a release list, a setup guide, an FAQ with a menu and headings).
 */
import type { SourceKind } from "@docent/ingest/types";

export interface FixtureDocument {
  name: string;
  kind: SourceKind;
  text: string;
}

export interface FixtureQuestion {
  question: string;
  /** Each of these must appear in the answer (case-insensitive). */
  expect: string[];
}

const packagesCsv = [
  "package,version,section,maintainer,description",
  "rustc,1.85.0,devel,Debian Rust Maintainers,Rust systems programming language compiler",
  "cargo,0.86.0,devel,Debian Rust Maintainers,Rust package manager",
  "rustfmt,1.85.0,devel,Debian Rust Maintainers,Formatter for Rust code",
  "nginx,1.26.3,httpd,Debian Nginx Maintainers,small powerful scalable web/proxy server",
  "postgresql-15,15.10,database,Debian PostgreSQL Maintainers,The World's Most Advanced Open Source Relational Database",
  "redis-server,7.0.15,database,Chris Lamb,Persistent key-value database with network interface",
  "python3,3.11.2,python,Matthias Klose,interactive high-level object-oriented language",
  "git,2.39.5,vcs,Jonathan Nieder,fast scalable distributed revision control system",
  "curl,7.88.1,web,Alessandro Ghedini,command line tool for transferring data with URL syntax",
  "openssh-server,9.2p1,net,Debian OpenSSH Maintainers,secure shell (SSH) server for secure access from remote machines",
  "vim,9.0.1378,editors,Debian Vim Maintainers,Vi IMproved - enhanced vi editor",
  "htop,3.2.2,utils,Daniel Lange,interactive processes viewer",
  "tmux,3.3a,admin,Romain Francoise,terminal multiplexer",
  "chromium,131.0.6778.139,web,Debian Chromium Team,web browser",
  "pgvector,0.8.0,database,Debian PostgreSQL Maintainers,Open-source vector similarity search for PostgreSQL",
  "sox,14.4.2,sound,Debian Multimedia Maintainers,Swiss army knife of sound processing",
  "espeak-ng,1.51,sound,Debian Accessibility Team,Multi-lingual software speech synthesizer",
  "imagemagick,6.9.11.60,graphics,ImageMagick Packaging Team,image manipulation programs",
  "xvfb,21.1.7,x11,Debian X Strike Force,Virtual Framebuffer X server",
  "pandoc,2.17.1.1,text,Debian Haskell Group,general markup converter",
].join("\n");

const releasesJson = JSON.stringify(
  [
    { codename: "bookworm", version: "12", released: "2023-06-10", kernel: "6.1", support: { regular: "2026-06-10", lts: "2028-06-30" } },
    { codename: "bullseye", version: "11", released: "2021-08-14", kernel: "5.10", support: { regular: "2024-08-14", lts: "2026-08-31" } },
    { codename: "buster", version: "10", released: "2019-07-06", kernel: "4.19", support: { regular: "2022-09-10", lts: "2024-06-30" } },
    { codename: "stretch", version: "9", released: "2017-06-17", kernel: "4.9", support: { regular: "2020-07-18", lts: "2022-06-30" } },
    { codename: "trixie", version: "13", released: "2025-08-09", kernel: "6.12", support: { regular: "2028-08-09", lts: "2030-06-30" } },
  ],
  null,
  2,
);

const rustGuide = `# Setting up Rust on Debian

Home | Downloads | Documentation | Community

## Installing the toolchain

Debian ships Rust as ordinary packages, but many developers prefer rustup, which installs and updates toolchains per user.

To install rustup, run:

\`\`\`sh
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh
\`\`\`

The installer puts the tools in ~/.cargo/bin and adds that directory to your PATH.

## Components

Extra tools come as components of a toolchain. To install rustfmt, run:

\`\`\`sh
rustup component add rustfmt
\`\`\`

Clippy, the linter, is added the same way:

\`\`\`sh
rustup component add clippy
\`\`\`

## Updating

Toolchains are updated together with \`rustup update\`, which also updates rustup itself.

## Cross-compiling

To build for another architecture, add its target first:

\`\`\`sh
rustup target add aarch64-unknown-linux-gnu
\`\`\`

You also need a linker for that target, such as the gcc-aarch64-linux-gnu package.
`;

const aptFaq = `# APT questions

Home › Docs › FAQ

## Held packages

A package is held back when upgrading it would remove another package or install a new one. Run apt full-upgrade to let APT add or remove packages as needed.

## Cleaning the cache

Downloaded package files are kept in /var/cache/apt/archives. The command apt clean deletes them all, while apt autoclean removes only files that can no longer be downloaded.

## Adding a repository

Repositories are listed in files under /etc/apt/sources.list.d. Since Debian 12 the deb822 format with .sources files is preferred over one-line entries.

## Pinning

Pinning lets you prefer packages from one release over another. Preferences are set in /etc/apt/preferences.d, and a priority above 1000 allows downgrades.
`;

export const fixtureDocuments: FixtureDocument[] = [
  { name: "debian-packages.csv", kind: "csv", text: packagesCsv },
  { name: "debian-releases.json", kind: "json", text: releasesJson },
  { name: "rust-on-debian.md", kind: "markdown", text: rustGuide },
  { name: "apt-faq.md", kind: "markdown", text: aptFaq },
];

export const fixtureQuestions: FixtureQuestion[] = [
  { question: "How do I install rustfmt?", expect: ["rustup component add rustfmt"] },
  { question: "How do I add clippy?", expect: ["rustup component add clippy"] },
  { question: "How do I install rustup?", expect: ["https://sh.rustup.rs"] },
  { question: "How do I add the aarch64 target to cross-compile?", expect: ["rustup target add aarch64-unknown-linux-gnu"] },
  { question: "Which version of rustfmt is packaged?", expect: ["1.85.0"] },
  { question: "Who maintains the redis-server package?", expect: ["Chris Lamb"] },
  { question: "What is the tmux package?", expect: ["terminal multiplexer"] },
  { question: "Which section is pgvector in?", expect: ["database"] },
  { question: "When was bookworm released?", expect: ["2023-06-10"] },
  { question: "Which kernel does bullseye ship?", expect: ["5.10"] },
  { question: "Until when is buster LTS supported?", expect: ["2024-06-30"] },
  { question: "What is the codename of Debian 13?", expect: ["trixie"] },
  { question: "What does apt autoclean remove?", expect: ["no longer be downloaded"] },
  { question: "Where are repositories listed?", expect: ["/etc/apt/sources.list.d"] },
  { question: "Why is a package held back?", expect: ["would remove another package"] },
  { question: "What priority allows downgrades when pinning?", expect: ["above 1000"] },
];
