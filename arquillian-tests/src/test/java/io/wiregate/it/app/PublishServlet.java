package io.wiregate.it.app;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /publish?text=...}: calls {@link NewsService}, the way any other part of an application would. */
@WebServlet("/publish")
public class PublishServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    NewsService service;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        service.publish(request.getParameter("text"));
        response.setContentType("text/plain");
        response.getWriter().write("published");
    }
}
