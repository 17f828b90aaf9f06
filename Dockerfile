# hisp in a container: build it, then copy the one binary into a small
# image that runs as a non-root user. From the repository's folder:
#
#   docker build -t hisp .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/data" hisp \
#     report fixtures/responses-fy2025.csv --services fixtures/services.csv \
#     --fiscal-year 2025 --quarter 2 -o hisp-report.xlsx
#
# `--user` lets hisp write into the mounted folder as its owner; without it
# the image's own non-root user (65532) writes where it is allowed to.

# The build stage: the toolchain and the crates, discarded afterwards.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# The dependencies first, built for a stub crate, so that a change to
# hisp's code does not fetch and build them again (a layer of their own).
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --locked --profile dist --bin hisp \
    && rm -r src
COPY src src
COPY schemas schemas
# The handed-out build: link-time optimised and stripped (Cargo.toml's
# [profile.dist]). The sources are touched so that cargo does not take the
# stub's build for theirs.
RUN touch src/main.rs src/lib.rs \
    && cargo build --locked --profile dist --bin hisp

# The image: glibc and libgcc, the binary, no shell, a non-root user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/dist/hisp /usr/local/bin/hisp
WORKDIR /data
USER nonroot
ENTRYPOINT ["/usr/local/bin/hisp"]
CMD ["--help"]
