# The zislint GitHub Action: a static zislint binary on an empty image.
# GitHub builds this file when a workflow uses the action, runs it with the
# workspace mounted at /github/workspace and passes inputs as INPUT_* variables.

# The builder's Go matches go.mod's go directive.
FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /zislint ./cmd/zislint

FROM scratch
# CA certificates, so HTTPS to the Zendesk API can verify the server.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /zislint /zislint
ENTRYPOINT ["/zislint", "action"]
