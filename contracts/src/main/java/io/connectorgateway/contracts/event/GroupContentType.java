package io.connectorgateway.contracts.event;

/** Kinds of content in a WORKS external group (SPEC R8 names each). */
public enum GroupContentType { NOTE, EVENT, FOLDER, BOARD }
