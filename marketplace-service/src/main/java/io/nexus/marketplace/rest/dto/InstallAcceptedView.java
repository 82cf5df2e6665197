package io.nexus.marketplace.rest.dto;

/** The answer to an install request (202): the install to follow at {@code Location}. */
public record InstallAcceptedView(String installId, String workflow, String status) {
}
