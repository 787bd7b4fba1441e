package io.connectorgateway.runtime;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Stands for another service's controller on the same classpath (the one-JVM local stack). */
@Controller("/intruder")
public class IntruderController {
    @Get
    public String get() {
        return "another service's endpoint";
    }
}
