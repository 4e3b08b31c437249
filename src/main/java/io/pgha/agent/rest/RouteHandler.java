package io.pgha.agent.rest;

/** Answers one REST route; see {@link RestApi#route}. Exceptions become a 500 reply with their message. */
@FunctionalInterface
public interface RouteHandler {
    RestReply handle(RestRequest request) throws Exception;
}
