# Google's in-memory Pub/Sub fake (our infra/local/pstest wrapper), for docker-compose.yml.
# Build context: infra/local/pstest (go.mod, go.sum, main.go).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY main.go ./
RUN CGO_ENABLED=0 go build -buildvcs=false -trimpath -o /pstest-server .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /pstest-server /pstest-server
EXPOSE 8085
# 0.0.0.0 inside the container (the program defaults to 127.0.0.1, which other containers cannot reach).
ENTRYPOINT ["/pstest-server", "-host", "0.0.0.0", "-port", "8085"]
